import { tileRestartFailed, type TileRestartFailed } from '../../events/guard/tile-restart-failed';
import { tileRestartStarted } from '../../events/guard/tile-restart-started';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { TileRestartRef } from '../../lib/aws/tile-ledger';
import { describeError } from '../../lib/errors';
import { decideRestart, restartDeadline, type RestartPlan } from './decide-tile-restart';
import type { TileRestartDeps } from './make-handler';

/**
 * Restarts one tile service for execution E, at most once: the claim in the ledger is the idempotency key, as
 * neither UpdateService nor CreateDeployment has one. Once claimed, every way it can go ends in exactly one
 * announcement (Started, or Failed): a retry of the trigger would find the claim and stay silent.
 */
export async function restartTileService(
  deps: TileRestartDeps,
  ref: TileRestartRef,
  release: ReleaseRecord | undefined,
): Promise<void> {
  const startedAt = deps.now();
  if (!(await deps.tiles.claimRestart(ref, startedAt))) {
    deps.logger.info('Tile restart already claimed: a duplicate Prod success', { ref });
    return;
  }
  const announced = {
    ...ref,
    commitId: release?.commitId,
    commitMessage: release?.commitMessage,
    mode: deps.config.mode,
  };
  let controller: string | undefined;
  try {
    const service = await deps.ecs.describeService(ref.cluster, ref.service);
    controller = service.controller;
    const plan = decideRestart(service);
    deps.logger.info('Tile restart decision', { decision: { ...plan, ...ref, controller } });
    if (plan.kind === 'cannot-restart') {
      await fail(deps, ref, { ...announced, controller, reason: plan.reason, detail: plan.detail });
      return;
    }
    const deadline = restartDeadline(startedAt, deps.config).toISOString();
    if (deps.config.mode === 'observe') {
      await deps.bus.emit(tileRestartStarted, {
        ...announced,
        controller,
        startedAt: startedAt.toISOString(),
        deadline,
      });
      return;
    }
    const deploymentId = await start(deps, ref, plan, release);
    const record = { ...ref, controller, deploymentId, startedAt: startedAt.toISOString(), deadline };
    await deps.tiles.recordStarted({
      ...record,
      commitId: release?.commitId,
      commitMessage: release?.commitMessage,
    });
    await deps.bus.emit(tileRestartStarted, { ...announced, ...record });
  } catch (error) {
    deps.logger.error('Tile restart could not start', { ref, error: describeError(error) });
    const { name, message } = describeError(error);
    await fail(deps, ref, {
      ...announced,
      controller,
      reason: 'start-failed',
      detail: `${name}: ${message}`,
    });
  }
}

async function start(
  deps: TileRestartDeps,
  ref: TileRestartRef,
  plan: Exclude<RestartPlan, { kind: 'cannot-restart' }>,
  release: ReleaseRecord | undefined,
): Promise<string> {
  if (plan.kind === 'force-new-deployment') return deps.ecs.forceNewDeployment(ref.cluster, ref.service);
  const group = await deps.codedeploy.groupOf(plan.currentDeploymentId);
  const revision = await deps.codedeploy.lastSuccessfulRevision(group);
  const why = `release-guard: tile restart after Prod succeeded for ${ref.pipeline} execution ${ref.executionId}`;
  return deps.codedeploy.redeploy(
    group,
    revision,
    release?.commitId ? `${why} (commit ${release.commitId})` : why,
  );
}

async function fail(deps: TileRestartDeps, ref: TileRestartRef, detail: TileRestartFailed): Promise<void> {
  await deps.tiles.recordStartOutcome(ref, detail.reason);
  await deps.bus.emit(tileRestartFailed, detail);
}
