import type { GuardConfig } from '../../config/schema';
import { tileRestartFailed } from '../../events/guard/tile-restart-failed';
import { tileRestartStarted } from '../../events/guard/tile-restart-started';
import { announcement, type Invocation } from '../../lib/act/act';
import { decisionKeyOf, type DecisionKey } from '../../lib/act/journal';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { TileRestartRef } from '../../lib/aws/tile-ledger';
import { recordDeploymentEffect, restartServiceEffect } from '../../lib/effects/tile';
import { restartDeadline, type RestartPlan } from './decide-tile-restart';
import type { TileRestartDeps } from './make-handler';

/** One restart decision per (execution, service): the decision journal's key, whatever the duplicates. */
export const tileRestartKey = (ref: TileRestartRef): DecisionKey =>
  decisionKeyOf(ref.pipeline, 'tile-restart', ref.executionId, ref.cluster, ref.service);

/**
 * Restarts one tile service for execution E, at most once, and says so once: started (the follow-up then reports
 * its end), or failed — it could not be restarted, or the restart could not be started (naming the call).
 */
export async function restartTileService(
  deps: TileRestartDeps,
  ref: TileRestartRef,
  release: ReleaseRecord | undefined,
  plan: RestartPlan & { controller: string },
  invocation: Invocation,
): Promise<void> {
  const key = tileRestartKey(ref);
  const commit = { commitId: release?.commitId, commitMessage: release?.commitMessage };
  const announced = { ...ref, ...commit, mode: deps.config.mode, controller: plan.controller };
  if (plan.kind === 'cannot-restart') {
    const primary = announcement(key, tileRestartFailed, {
      ...announced,
      reason: plan.reason,
      detail: plan.detail,
    });
    await deps.actor.act(key, { primary, effects: [] }, invocation);
    return;
  }
  const startedAt = deps.now();
  const times = {
    startedAt: startedAt.toISOString(),
    deadline: restartDeadline(startedAt, deps.config as GuardConfig).toISOString(),
  };
  const primary = announcement(key, tileRestartStarted, { ...announced, ...times });
  if (deps.config.mode === 'observe') {
    await deps.actor.act(key, { primary, effects: [] }, invocation);
    return;
  }
  const fallback = announcement(key, tileRestartFailed, {
    ...announced,
    reason: 'start-failed',
    detail: `the restart of ${ref.cluster}/${ref.service} could not be started: restart it by hand`,
  });
  const why = `release-guard: tile restart after Prod succeeded for ${ref.pipeline} execution ${ref.executionId}`;
  const effects = [
    restartServiceEffect({
      cluster: ref.cluster,
      service: ref.service,
      how: plan.kind,
      currentDeploymentId: plan.kind === 'redeploy-last-successful' ? plan.currentDeploymentId : undefined,
      description: release?.commitId ? `${why} (commit ${release.commitId})` : why,
    }),
    recordDeploymentEffect({ ...ref, ...commit, ...times, controller: plan.controller }),
  ];
  await deps.actor.act(key, { primary, fallback, effects }, invocation);
}
