import * as z from '../../lib/zod';
import { fromEnvironmentAccount, type GuardConfig } from '../../config/schema';
import { codeDeployDeploymentStateChange } from '../../events/aws/codedeploy-deployment-state-change';
import { ecsDeploymentStateChange } from '../../events/aws/ecs-deployment-state-change';
import { tileRestartCompleted } from '../../events/guard/tile-restart-completed';
import { tileRestartFailed } from '../../events/guard/tile-restart-failed';
import { tileRestartStarted, type TileRestartStarted } from '../../events/guard/tile-restart-started';
import { tileRestartTimerFired } from '../../events/guard/tile-restart-timer-fired';
import { decisionKeyOf, type Outbox } from '../../lib/aws/outbox';
import type { TileLedger, TileRestartRecord } from '../../lib/aws/tile-ledger';
import type { TileTimers } from '../../lib/aws/tile-timers';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { decideTileOutcome, type FollowUp, type TileOutcome } from './decide-tile-outcome';

export type TileFollowDeps = {
  config: GuardConfig;
  tiles: Pick<TileLedger, 'findByDeployment' | 'claimOutcome' | 'ensureRecorded'>;
  timers: Pick<TileTimers, 'createTimeoutTimer'>;
  outbox: Outbox;
  logger: GuardLogger;
};

const followUps = /* @__PURE__ */ z.lazy(() =>
  z.union([
    ecsDeploymentStateChange,
    codeDeployDeploymentStateChange,
    tileRestartStarted.event,
    tileRestartTimerFired.event,
  ]),
);
type FollowEvent = z.output<typeof followUps>;

/**
 * Follows a tile restart to its end: sets its timeout timer when it starts, then turns the first of
 * completed / failed / timed out into exactly one announcement (the ledger's outcome claim decides the race).
 */
export function makeHandler(deps: TileFollowDeps) {
  return reaction('tile-follow', followUps, deps.logger, async (event) => {
    if (event['detail-type'] === tileRestartStarted.detailType) {
      await setTimeoutTimer(deps, event.detail);
      return;
    }
    if (event.source.startsWith('aws.') && !fromEnvironmentAccount(deps.config, 'prod', event.account)) {
      deps.logger.warn(
        'Ignored: a deployment event from an account that is not the configured Prod account',
        {
          account: event.account,
        },
      );
      return;
    }
    const heard = readFollowUp(event);
    const restart = heard.timerRecord ?? (await deps.tiles.findByDeployment(heard.deploymentId));
    if (!restart) {
      deps.logger.info('Not a deployment the guard started', { deploymentId: heard.deploymentId });
      return;
    }
    const outcome = decideTileOutcome(heard.followUp, new Date(restart.startedAt), new Date(event.time));
    deps.logger.info('Tile restart outcome', {
      decision: { ...outcome, deploymentId: restart.deploymentId },
    });
    if (outcome.kind === 'none') return;
    if (!(await deps.tiles.claimOutcome(restart.deploymentId, outcome.kind))) {
      deps.logger.info('Tile restart already has its outcome', { deploymentId: restart.deploymentId });
      await deps.outbox.flush(outcomeKey(restart));
      return;
    }
    await announce(deps, restart, outcome);
  });
}

async function announce(
  deps: TileFollowDeps,
  restart: TileRestartRecord,
  outcome: Exclude<TileOutcome, { kind: 'none' }>,
): Promise<void> {
  const announced = {
    pipeline: restart.pipeline,
    executionId: restart.executionId,
    commitId: restart.commitId,
    commitMessage: restart.commitMessage,
    cluster: restart.cluster,
    service: restart.service,
    controller: restart.controller,
    deploymentId: restart.deploymentId,
    mode: deps.config.mode,
  };
  if (outcome.kind === 'completed') {
    await deps.outbox.announce(outcomeKey(restart), tileRestartCompleted, {
      ...announced,
      durationSeconds: outcome.durationSeconds,
    });
    return;
  }
  await deps.outbox.announce(outcomeKey(restart), tileRestartFailed, {
    ...announced,
    reason: outcome.reason,
    detail: outcome.detail,
  });
}

/** One outcome per restart (the ledger's outcome claim): completed, failed or timed out. */
const outcomeKey = (restart: TileRestartRecord) =>
  decisionKeyOf(restart.pipeline, 'tile-outcome', restart.deploymentId);

/** Observe mode restarts nothing, so there is nothing to time out. */
async function setTimeoutTimer(deps: TileFollowDeps, started: TileRestartStarted): Promise<void> {
  if (started.mode === 'observe' || !started.deploymentId) return;
  const record = {
    pipeline: started.pipeline,
    executionId: started.executionId,
    cluster: started.cluster,
    service: started.service,
    controller: started.controller ?? 'ECS',
    deploymentId: started.deploymentId,
    startedAt: started.startedAt,
    deadline: started.deadline,
    commitId: started.commitId,
    commitMessage: started.commitMessage,
  };
  if (await deps.tiles.ensureRecorded(record)) {
    deps.logger.warn('Recorded a tile restart its start did not record', {
      deploymentId: started.deploymentId,
    });
  }
  const timer = await deps.timers.createTimeoutTimer({ ...started, deploymentId: started.deploymentId });
  deps.logger.info('Tile restart timeout timer', { deploymentId: started.deploymentId, timer });
}

type Heard = { deploymentId: string; followUp: FollowUp; timerRecord?: TileRestartRecord };

function readFollowUp(event: Exclude<FollowEvent, { 'detail-type': 'TileRestartStarted' }>): Heard {
  switch (event['detail-type']) {
    case 'ECS Deployment State Change': {
      const { deploymentId, eventName, reason } = event.detail;
      return { deploymentId, followUp: { source: 'ecs', eventName, reason } };
    }
    case 'CodeDeploy Deployment State-change Notification':
      return {
        deploymentId: event.detail.deploymentId,
        followUp: { source: 'codedeploy', state: event.detail.state },
      };
    case 'TileRestartTimerFired': {
      const d = event.detail;
      return {
        deploymentId: d.deploymentId,
        followUp: {
          source: 'timer',
          timeoutMinutes: Math.round((Date.parse(d.deadline) - Date.parse(d.startedAt)) / 60_000),
        },
        timerRecord: { ...d, controller: d.controller ?? 'ECS' },
      };
    }
  }
}
