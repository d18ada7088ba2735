import { findPipeline, tileCodeDeployGroup, type GuardConfig } from '../../config/schema';
import { stageExecutionStateChange } from '../../events/aws/codepipeline-stage-execution-state-change';
import { tileRestartFailed } from '../../events/guard/tile-restart-failed';
import { announcement, failureFields, type Actor, type Invocation } from '../../lib/act/act';
import type { EcsGateway } from '../../lib/aws/ecs';
import type { Ledger, ReleaseRecord } from '../../lib/aws/ledger';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import type { TileRestartRef } from '../../lib/aws/tile-ledger';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { restartTileService, tileRestartKey } from './act-on-tile-restart';
import { decideRestart, tileTargets } from './decide-tile-restart';

export type TileRestartDeps = {
  config: GuardConfig;
  ecs: Pick<EcsGateway, 'describeService'>;
  releases: Pick<Ledger, 'getRelease'>;
  /** A restore the guard started has no release record: its commit is the one it restored. */
  restores: Pick<RollbackLedger, 'getRestore'>;
  /** Carries out and announces each decision once (lib/act). */
  actor: Actor;
  logger: GuardLogger;
  now: () => Date;
};

/** Prod succeeded for execution E (a rollback execution too): restart every configured tile service once. */
export function makeHandler(deps: TileRestartDeps) {
  return reaction('tile-restart', stageExecutionStateChange, deps.logger, async (event) => {
    const { detail } = event;
    const pipeline = findPipeline(deps.config, detail.pipeline);
    const targets = pipeline ? tileTargets(pipeline, detail.stage, detail.state) : [];
    if (!pipeline || targets.length === 0) {
      deps.logger.info('Not a Prod success of a pipeline with tile services', {
        pipeline: detail.pipeline,
        stage: detail.stage,
      });
      return;
    }
    const executionId = detail['execution-id'];
    const invocation = { reaction: 'tile-restart', eventId: event.id };
    const release = await commitOf(deps, pipeline.name, executionId);
    for (const target of targets) {
      await restartOne(deps, { pipeline: pipeline.name, executionId, ...target }, release, invocation);
    }
  });
}

async function restartOne(
  deps: TileRestartDeps,
  ref: TileRestartRef,
  release: ReleaseRecord | undefined,
  invocation: Invocation,
): Promise<void> {
  let service: Awaited<ReturnType<TileRestartDeps['ecs']['describeService']>>;
  try {
    service = await deps.ecs.describeService(ref.cluster, ref.service);
  } catch (error) {
    const key = tileRestartKey(ref);
    const { error: e, call } = failureFields(error);
    await deps.actor.failedToDecide(
      key,
      error,
      invocation,
      announcement(key, tileRestartFailed, {
        ...ref,
        commitId: release?.commitId,
        commitMessage: release?.commitMessage,
        mode: deps.config.mode,
        reason: 'start-failed',
        detail: `${call ?? 'ecs.DescribeServices'} failed (${e.name}: ${e.message}): not restarted, restart it by hand`,
      }),
    );
    return;
  }
  // Blue/green: the guard may deploy only to the deployment group the configuration names (its IAM scope).
  const plan = decideRestart(service, tileCodeDeployGroup(deps.config, ref));
  deps.logger.info('Tile restart decision', {
    decision: { ...plan, ...ref, controller: service.controller },
  });
  await restartTileService(deps, ref, release, { ...plan, controller: service.controller }, invocation);
}

/** The commit is known when the guard saw E leave Dev, or, for its own restore, from the restore record. */
async function commitOf(
  deps: TileRestartDeps,
  pipeline: string,
  executionId: string,
): Promise<ReleaseRecord | undefined> {
  const release = await deps.releases.getRelease(pipeline, executionId);
  if (release) return release;
  const restore = await deps.restores.getRestore(pipeline, executionId);
  if (!restore?.targetCommitId) return undefined;
  return { pipeline, executionId, devSucceededAt: '', bakeEndsAt: '', commitId: restore.targetCommitId };
}
