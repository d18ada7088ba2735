import { createHash } from 'node:crypto';
import {
  tileRestartTimerFired,
  type TileRestartTimerFired,
} from '../../events/guard/tile-restart-timer-fired';
import { createOneTimeTimer, type SchedulerSender, type TimerTarget } from './scheduler';

/**
 * Scheduler names are at most 64 characters of [0-9a-zA-Z-_.]: the restart (deployment id, which holds a `/`
 * for ECS) is folded into a hash, so a duplicate TileRestartStarted finds the same name.
 */
export function tileTimerName(deploymentId: string): string {
  return `tile-${createHash('sha256').update(deploymentId).digest('hex').slice(0, 40)}`;
}

/** TileRestartTimerFired at a restart's deadline. */
export function makeTileTimers(client: SchedulerSender, target: TimerTarget) {
  return {
    createTimeoutTimer: (payload: TileRestartTimerFired) =>
      createOneTimeTimer(client, target, {
        name: tileTimerName(payload.deploymentId),
        fireAt: new Date(payload.deadline),
        detailType: tileRestartTimerFired.detailType,
        payload,
        description: `Tile restart of ${payload.cluster}/${payload.service} (${payload.deploymentId})`,
      }),
  };
}

export type TileTimers = ReturnType<typeof makeTileTimers>;
