import { CreateScheduleCommand, type SchedulerClient } from './scheduler-client';
import { GUARD_SOURCE } from '../../events/guard/guard-event';
import { bakeTimerFired, type BakeTimerFired } from '../../events/guard/bake-timer-fired';

export type SchedulerSender = Pick<SchedulerClient, 'send'>;

export type TimerTarget = {
  scheduleGroup: string;
  schedulerRoleArn: string;
  busArn: string;
  /** A timer event Scheduler could not put on the bus after its retries lands here, where an alarm sees it. */
  deadLetterQueueArn: string;
};

/**
 * A one-time schedule that puts one guard event on the guard's bus at `fireAt`, then deletes itself.
 * Idempotent by name: an existing timer is left as it is and reported as `exists`.
 */
export async function createOneTimeTimer(
  client: SchedulerSender,
  target: TimerTarget,
  timer: { name: string; fireAt: Date; detailType: string; payload: object; description: string },
): Promise<'created' | 'exists'> {
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: timer.name,
        GroupName: target.scheduleGroup,
        ScheduleExpression: `at(${timer.fireAt.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: timer.description.slice(0, 512),
        Target: {
          Arn: target.busArn,
          RoleArn: target.schedulerRoleArn,
          EventBridgeParameters: { Source: GUARD_SOURCE, DetailType: timer.detailType },
          Input: JSON.stringify(timer.payload),
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
          DeadLetterConfig: { Arn: target.deadLetterQueueArn },
        },
      }),
    );
    return 'created';
  } catch (error) {
    // AWS's code, as lib/errors.ts reads errors: the signed call's AwsCallError, the simulator's SDK exception.
    if (error instanceof Error && error.name === 'ConflictException') return 'exists';
    throw error;
  }
}

/** The bake timers: BakeTimerFired at the end of an execution's bake. */
export function makeBakeTimers(client: SchedulerSender, target: TimerTarget) {
  return {
    createBakeTimer: (name: string, fireAt: Date, payload: BakeTimerFired) =>
      createOneTimeTimer(client, target, {
        name,
        fireAt,
        detailType: bakeTimerFired.detailType,
        payload,
        description: `Bake of ${payload.pipeline} execution ${payload.executionId}`,
      }),
  };
}

export type BakeTimers = ReturnType<typeof makeBakeTimers>;
