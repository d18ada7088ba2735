import { tileRestartFailed, type TileRestartFailed } from '../../events/guard/tile-restart-failed';
import { tileRestartStarted } from '../../events/guard/tile-restart-started';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import { decisionKeyOf } from '../../lib/aws/outbox';
import type { TileRestartRef } from '../../lib/aws/tile-ledger';
import { describeError } from '../../lib/errors';
import { decideRestart, restartDeadline, type RestartPlan } from './decide-tile-restart';
import type { TileRestartDeps } from './make-handler';

type StartResult =
  | { kind: 'started'; controller: string; deploymentId?: string }
  | { kind: 'failed'; controller?: string; reason: TileRestartFailed['reason']; detail: string };

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
  const key = decisionKeyOf(ref.pipeline, 'tile-restart', ref.executionId, ref.cluster, ref.service);
  if (!(await deps.tiles.claimRestart(ref, startedAt))) {
    deps.logger.info('Tile restart already claimed: a duplicate Prod success', { ref });
    await deps.outbox.flush(key);
    return;
  }
  const result = await startRestart(deps, ref, release);
  const commit = { commitId: release?.commitId, commitMessage: release?.commitMessage };
  const announced = { ...ref, ...commit, mode: deps.config.mode, controller: result.controller };
  if (result.kind === 'failed') {
    await deps.tiles.recordStartOutcome(ref, result.reason);
    await deps.outbox.announce(key, tileRestartFailed, {
      ...announced,
      reason: result.reason,
      detail: result.detail,
    });
    return;
  }
  const times = {
    startedAt: startedAt.toISOString(),
    deadline: restartDeadline(startedAt, deps.config).toISOString(),
  };
  const { deploymentId } = result;
  if (deploymentId) {
    await deps.tiles.recordStarted({
      ...ref,
      ...commit,
      ...times,
      controller: result.controller,
      deploymentId,
    });
  }
  await deps.outbox.announce(key, tileRestartStarted, { ...announced, ...times, deploymentId });
}

/** Reads the controller and starts the restart; in observe mode it stops before the write. */
async function startRestart(
  deps: TileRestartDeps,
  ref: TileRestartRef,
  release: ReleaseRecord | undefined,
): Promise<StartResult> {
  let controller: string | undefined;
  try {
    const service = await deps.ecs.describeService(ref.cluster, ref.service);
    controller = service.controller;
    const plan = decideRestart(service);
    deps.logger.info('Tile restart decision', { decision: { ...plan, ...ref, controller } });
    if (plan.kind === 'cannot-restart') {
      return { kind: 'failed', controller, reason: plan.reason, detail: plan.detail };
    }
    if (deps.config.mode === 'observe') return { kind: 'started', controller };
    return { kind: 'started', controller, deploymentId: await start(deps, ref, plan, release) };
  } catch (error) {
    // Loud, not retried: the claim is taken, so a retry would stay silent and the team would never know.
    const { name, message } = describeError(error);
    deps.logger.error('Tile restart could not start', { ref, error: { name, message } });
    return { kind: 'failed', controller, reason: 'start-failed', detail: `${name}: ${message}` };
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
