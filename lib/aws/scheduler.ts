import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { GUARD_SOURCE } from '../../events/guard/guard-event';
import { bakeTimerFired, type BakeTimerFired } from '../../events/guard/bake-timer-fired';

export type SchedulerSender = Pick<SchedulerClient, 'send'>;

export type TimerTarget = { scheduleGroup: string; schedulerRoleArn: string; busArn: string };

/** One-time schedules that put a BakeTimerFired event on the guard's bus and then delete themselves. */
export function makeBakeTimers(client: SchedulerSender, target: TimerTarget) {
  return {
    /** Idempotent by name: an existing timer is left as it is and reported as `exists`. */
    async createBakeTimer(
      name: string,
      fireAt: Date,
      payload: BakeTimerFired,
    ): Promise<'created' | 'exists'> {
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: target.scheduleGroup,
            ScheduleExpression: `at(${fireAt.toISOString().slice(0, 19)})`,
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Description: `Bake of ${payload.pipeline} execution ${payload.executionId}`.slice(0, 512),
            Target: {
              Arn: target.busArn,
              RoleArn: target.schedulerRoleArn,
              EventBridgeParameters: { Source: GUARD_SOURCE, DetailType: bakeTimerFired.detailType },
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

export type BakeTimers = ReturnType<typeof makeBakeTimers>;
