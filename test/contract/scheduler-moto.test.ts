/**
 * lib/aws/scheduler-client.ts's restJson1 calls against moto_server's EventBridge Scheduler: CreateSchedule,
 * ListSchedules (ScheduleGroup / NamePrefix in the query, epoch-second dates), DeleteSchedule (groupName in the
 * query), and the two refusals the guard reads by name. moto checks no signature (test/unit/scheduler-client.test.ts's
 * stand-in recomputes it). The schedule group is made with the SDK's client, which the guard no longer bundles.
 */
import {
  CreateScheduleGroupCommand,
  DeleteScheduleGroupCommand,
  SchedulerClient as SdkSchedulerClient,
} from '@aws-sdk/client-scheduler';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { callOf } from '../../lib/act/calls';
import { makeBakeTimerSweeper } from '../../lib/aws/bake-timer-sweep';
import { createOneTimeTimer } from '../../lib/aws/scheduler';
import { DeleteScheduleCommand, schedulerClient } from '../../lib/aws/scheduler-client';
import { motoClientConfig } from '../support/moto';

const GROUP = `guard-test-${randomUUID().slice(0, 8)}`;
const target = {
  scheduleGroup: GROUP,
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/leadout-release-guard-test-scheduler',
  busArn: 'arn:aws:events:us-east-1:123456789012:event-bus/leadout-release-guard-test',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:leadout-release-guard-test-dlq',
};
const timer = (name: string) => ({
  name,
  fireAt: new Date(Date.now() + 3_600_000),
  detailType: 'BakeTimerFired',
  payload: { pipeline: 'leadout', executionId: name },
  description: `Bake of ${name}`,
});
let setup: SdkSchedulerClient;
const client = () => schedulerClient(motoClientConfig(inject('motoEndpoint')));

beforeAll(async () => {
  setup = new SdkSchedulerClient(motoClientConfig(inject('motoEndpoint')));
  await setup.send(new CreateScheduleGroupCommand({ Name: GROUP }));
});

afterAll(async () => {
  await setup.send(new DeleteScheduleGroupCommand({ Name: GROUP })).catch(() => undefined);
  setup.destroy();
});

describe('EventBridge Scheduler over signed restJson1 calls, against moto_server', () => {
  it('creates timers, lists them by prefix with their creation dates, deletes one', async () => {
    // Prepare
    const before = Date.now();
    await expect(createOneTimeTimer(client(), target, timer('bake-one'))).resolves.toBe('created');
    await expect(createOneTimeTimer(client(), target, timer('bake-two'))).resolves.toBe('created');
    await expect(createOneTimeTimer(client(), target, timer('tile-one'))).resolves.toBe('created');
    const sweeper = makeBakeTimerSweeper(client(), GROUP);

    // Act
    const pending = await sweeper.pendingTimers('bake-');

    // Assess
    expect(pending.map((t) => t.name).sort()).toEqual(['bake-one', 'bake-two']);
    for (const t of pending) {
      expect(t.createdAt).toBeInstanceOf(Date);
      expect(t.createdAt!.getTime()).toBeGreaterThan(before - 60_000);
      expect(t.createdAt!.getTime()).toBeLessThan(Date.now() + 60_000);
    }
    await expect(sweeper.deleteTimer('bake-one')).resolves.toBe('deleted');
    expect((await sweeper.pendingTimers('bake-')).map((t) => t.name)).toEqual(['bake-two']);
  });

  it('reads a second CreateSchedule of the same name (ConflictException) as an existing timer', async () => {
    // Prepare
    await createOneTimeTimer(client(), target, timer('bake-dup'));

    // Act / Assess
    await expect(createOneTimeTimer(client(), target, timer('bake-dup'))).resolves.toBe('exists');
  });

  it('reads deleting a schedule that is not there (ResourceNotFoundException) as gone, naming the call', async () => {
    // Act
    const gone = await makeBakeTimerSweeper(client(), GROUP).deleteTimer('bake-never-made');
    const error = await client()
      .send(new DeleteScheduleCommand({ Name: 'bake-never-made', GroupName: GROUP }))
      .catch((e: unknown) => e);

    // Assess
    expect(gone).toBe('gone');
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { attempts: 1 } });
    expect(callOf(error)).toBe('scheduler.DeleteSchedule');
  });
});
