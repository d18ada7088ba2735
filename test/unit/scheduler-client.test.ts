import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { callOf } from '../../lib/act/calls';
import { makeBakeTimerSweeper } from '../../lib/aws/bake-timer-sweep';
import { createOneTimeTimer } from '../../lib/aws/scheduler';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  schedulerClient,
} from '../../lib/aws/scheduler-client';
import { MalformedAwsResponseError } from '../../lib/aws/signed-call';
import { isTransientAwsError } from '../../lib/errors';
import { STAND_IN_CREDENTIALS, startAwsStandIn } from '../support/aws-stand-in';

const REGION = 'eu-west-1';
const GROUP = 'leadout-release-guard-dev';
const target = {
  scheduleGroup: GROUP,
  schedulerRoleArn: 'arn:aws:iam::444455556666:role/leadout-release-guard-dev-scheduler',
  busArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/leadout-release-guard-dev',
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:444455556666:leadout-release-guard-dev-timers-dlq',
};
const timer = {
  name: 'bake-df3c585a-e4625dc7-00d8-4c86-b735-d491150cfb97',
  fireAt: new Date('2026-05-12T10:14:28.000Z'),
  detailType: 'BakeTimerFired',
  payload: { pipeline: 'leadout' },
  description: 'Bake of leadout',
};
/** As Scheduler answers a refusal: the code in x-amzn-errortype (with its URI suffix) and in the body. */
const refusal = (status: number, code: string, message: string) => ({
  status,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.chronos/`,
    'x-amzn-requestid': 'f00d',
  },
  body: JSON.stringify({ Message: message }),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let stand: Awaited<ReturnType<typeof startAwsStandIn>>;
let waits: number[];
const client = () =>
  schedulerClient({
    endpoint: stand.url,
    region: REGION,
    credentials: STAND_IN_CREDENTIALS,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    random: () => 1,
  });
const bodyOf = (i: number) => JSON.parse(stand.received[i]!.body) as Record<string, unknown>;

describe('EventBridge Scheduler over a signed call (restJson1), against a stand-in that recomputes the signature', () => {
  beforeEach(async () => {
    stand = await startAwsStandIn({ service: 'scheduler', region: REGION });
    waits = [];
  });
  afterEach(() => stand.close());

  it('creates a schedule: POST /schedules/{Name}, the rest of the input as JSON with an idempotency token', async () => {
    // Prepare
    stand.answer({
      status: 200,
      body: JSON.stringify({ ScheduleArn: `arn:aws:scheduler:eu-west-1:444455556666:schedule/${GROUP}/x` }),
    });

    // Act
    const got = await createOneTimeTimer(client(), target, timer);

    // Assess
    expect(got).toBe('created');
    expect(stand.signatureOk).toEqual([true]);
    const [request] = stand.received;
    expect(request).toMatchObject({ method: 'POST', path: `/schedules/${timer.name}` });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toContain(`/${REGION}/scheduler/aws4_request`);
    const body = bodyOf(0);
    expect(body).not.toHaveProperty('Name');
    expect(body).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: 'at(2026-05-12T10:14:28)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.busArn,
        RoleArn: target.schedulerRoleArn,
        EventBridgeParameters: { Source: 'leadout.release-guard', DetailType: 'BakeTimerFired' },
        Input: '{"pipeline":"leadout"}',
        DeadLetterConfig: { Arn: target.deadLetterQueueArn },
      },
    });
    expect(body.ClientToken).toMatch(UUID);
  });

  it('URI-encodes the name into the path (and the signature still matches)', async () => {
    // Act
    await client().send(
      new CreateScheduleCommand({
        Name: "odd name/(it's)",
        ScheduleExpression: 'at(2026-05-12T10:14:28)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: target.busArn, RoleArn: target.schedulerRoleArn },
      }),
    );

    // Assess
    expect(stand.received[0]!.path).toBe('/schedules/odd%20name%2F%28it%27s%29');
    expect(stand.signatureOk).toEqual([true]);
  });

  it('takes ConflictException (x-amzn-errortype) as an existing timer, not retried', async () => {
    // Prepare
    stand.answer(refusal(409, 'ConflictException', `Schedule ${timer.name} already exists.`));

    // Act / Assess
    await expect(createOneTimeTimer(client(), target, timer)).resolves.toBe('exists');
    expect(stand.received).toHaveLength(1);
  });

  it('reads the code from the body when there is no x-amzn-errortype header (__type with its namespace)', async () => {
    // Prepare
    stand.answer({
      status: 409,
      body: JSON.stringify({ __type: 'com.amazonaws.scheduler#ConflictException', message: 'exists' }),
    });

    // Act / Assess
    await expect(createOneTimeTimer(client(), target, timer)).resolves.toBe('exists');
  });

  it('retries throttling with the SDK backoff, sending the same idempotency token, then succeeds', async () => {
    // Prepare
    stand.answer(refusal(429, 'ThrottlingException', 'Rate exceeded'), {
      status: 503,
      body: '<html>Service Unavailable</html>',
    });

    // Act
    await expect(createOneTimeTimer(client(), target, timer)).resolves.toBe('created');

    // Assess
    expect(stand.received).toHaveLength(3);
    expect(waits).toEqual([1000, 400]);
    expect(new Set([0, 1, 2].map((i) => bodyOf(i).ClientToken)).size).toBe(1);
    expect(stand.signatureOk).toEqual([true, true, true]);
  });

  it('after 3 throttled attempts throws ThrottlingException, transient, naming the call', async () => {
    // Prepare
    stand.otherwise(refusal(429, 'ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await createOneTimeTimer(client(), target, timer).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $fault: 'client',
      $metadata: { httpStatusCode: 429, attempts: 3, requestId: 'f00d' },
      $retryable: { throttling: true },
    });
    expect(isTransientAwsError(error)).toBe(true);
    expect(callOf(error)).toBe('scheduler.CreateSchedule');
  });

  it('refuses a ValidationException at once, with its message', async () => {
    // Prepare
    stand.answer(refusal(400, 'ValidationException', 'Invalid ScheduleExpression'));

    // Act / Assess
    await expect(createOneTimeTimer(client(), target, timer)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Invalid ScheduleExpression',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });

  it('deletes a schedule: DELETE /schedules/{Name}?clientToken=&groupName=, no body', async () => {
    // Prepare
    stand.answer({ status: 200, body: '{}' });

    // Act
    const got = await makeBakeTimerSweeper(client(), GROUP).deleteTimer(timer.name);

    // Assess
    expect(got).toBe('deleted');
    expect(stand.signatureOk).toEqual([true]);
    const [request] = stand.received;
    expect(request!.method).toBe('DELETE');
    const url = new URL(request!.path, 'http://x');
    expect(url.pathname).toBe(`/schedules/${timer.name}`);
    expect(url.searchParams.get('groupName')).toBe(GROUP);
    expect(url.searchParams.get('clientToken')).toMatch(UUID);
    expect([...url.searchParams.keys()].sort()).toEqual(['clientToken', 'groupName']);
    expect(request!.body).toBe('');
  });

  it('takes ResourceNotFoundException on delete as a timer that is gone', async () => {
    // Prepare
    stand.answer(refusal(404, 'ResourceNotFoundException', 'Schedule not found'));

    // Act / Assess
    await expect(makeBakeTimerSweeper(client(), GROUP).deleteTimer(timer.name)).resolves.toBe('gone');
    expect(stand.received).toHaveLength(1);
  });

  it('lists schedules: GET /schedules with ScheduleGroup, NamePrefix, MaxResults, NextToken; dates from epoch seconds', async () => {
    // Prepare
    stand.answer(
      {
        status: 200,
        body: JSON.stringify({
          Schedules: [{ Name: 'bake-a', GroupName: GROUP, State: 'ENABLED', CreationDate: 1778577268.5 }],
          NextToken: 'page/2+',
        }),
      },
      { status: 200, body: JSON.stringify({ Schedules: [{ Name: 'bake-b', CreationDate: 1778578800 }] }) },
    );

    // Act
    const timers = await makeBakeTimerSweeper(client(), GROUP).pendingTimers('bake-');

    // Assess
    expect(timers).toEqual([
      { name: 'bake-a', createdAt: new Date('2026-05-12T09:14:28.500Z') },
      { name: 'bake-b', createdAt: new Date('2026-05-12T09:40:00.000Z') },
    ]);
    expect(stand.signatureOk).toEqual([true, true]);
    const [first, second] = stand.received.map((r) => new URL(r.path, 'http://x'));
    expect(stand.received.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(first!.pathname).toBe('/schedules');
    expect(Object.fromEntries(first!.searchParams)).toEqual({
      ScheduleGroup: GROUP,
      NamePrefix: 'bake-',
      MaxResults: '100',
    });
    expect(Object.fromEntries(second!.searchParams)).toMatchObject({ NextToken: 'page/2+' });
  });

  it('refuses a ListSchedules answer whose CreationDate is not epoch seconds (fail closed)', async () => {
    // Prepare
    stand.answer({
      status: 200,
      body: JSON.stringify({ Schedules: [{ Name: 'bake-a', CreationDate: '2026-05-12T09:14:28Z' }] }),
    });

    // Act / Assess
    await expect(client().send(new ListSchedulesCommand({ GroupName: GROUP }))).rejects.toBeInstanceOf(
      MalformedAwsResponseError,
    );
  });

  it('names the call of a failed delete', async () => {
    // Prepare
    stand.answer(refusal(403, 'AccessDeniedException', 'not authorized'));

    // Act
    const error = await client()
      .send(new DeleteScheduleCommand({ Name: timer.name, GroupName: GROUP }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { attempts: 1 } });
    expect(callOf(error)).toBe('scheduler.DeleteSchedule');
  });
});
