import { ConflictException, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { createHash } from 'node:crypto';
import { GUARD_SOURCE } from '../../events/guard/guard-event';
import {
  tileRestartTimerFired,
  type TileRestartTimerFired,
} from '../../events/guard/tile-restart-timer-fired';
import type { SchedulerSender, TimerTarget } from './scheduler';

/**
 * Scheduler names are at most 64 characters of [0-9a-zA-Z-_.]: the restart (deployment id, which holds a `/`
 * for ECS) is folded into a hash, so a duplicate TileRestartStarted finds the same name.
 */
export function tileTimerName(deploymentId: string): string {
  return `tile-${createHash('sha256').update(deploymentId).digest('hex').slice(0, 40)}`;
}

/** One-time schedules that put TileRestartTimerFired on the guard's bus at a restart's deadline. */
export function makeTileTimers(client: SchedulerSender, target: TimerTarget) {
  return {
    /** Idempotent by name: an existing timer is left as it is and reported as `exists`. */
    async createTimeoutTimer(payload: TileRestartTimerFired): Promise<'created' | 'exists'> {
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: tileTimerName(payload.deploymentId),
            GroupName: target.scheduleGroup,
            ScheduleExpression: `at(${payload.deadline.slice(0, 19)})`,
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Description:
              `Tile restart of ${payload.cluster}/${payload.service} (${payload.deploymentId})`.slice(0, 512),
            Target: {
              Arn: target.busArn,
              RoleArn: target.schedulerRoleArn,
              EventBridgeParameters: { Source: GUARD_SOURCE, DetailType: tileRestartTimerFired.detailType },
              Input: JSON.stringify(payload),
              RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
            },
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConflictException) return 'exists';
        throw error;
      }
    },
  };
}

export type TileTimers = ReturnType<typeof makeTileTimers>;
