import { CodePipelineClient, GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { journalOf, ledgerTable, lostResponse, type LedgerTable } from './table';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import { makeHandler } from '../../handlers/bake-start/make-handler';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { actorOver } from '../../lib/act/act';
import { bakeExecutors } from '../../lib/effects/bake';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { makeBakeTimers } from '../../lib/aws/scheduler';
import { AwsCallError } from '../../lib/aws/signed-call';
import { fakeScheduler } from '../support/fake-scheduler';
import { loadEvent, type FixtureName } from '../fixtures/load';
import {
  captureLogger,
  deployment,
  emitted,
  guardConfig,
  lambdaContext,
  expectDroppedInvalid,
  expectNoAwsCall,
  failPutEventsOnce,
} from './harness';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const LEGACY_E = 'c2497707-c9c7-4f20-b742-f37711bd9931';
const COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';
const COMMIT_MESSAGE = 'Render tile labels with the new font stack';
/** bakeTimerName('leadout', E): stable across deployments, so a duplicate event finds the same schedule. */
const TIMER = `bake-df3c585a-${E}`;
/** Four seconds after the modern fixture's Dev success (2026-05-12T09:14:27Z). */
const NOW = new Date('2026-05-12T09:14:31.000Z');

const codePipeline = mockClient(CodePipelineClient);
const dynamo = mockClient(DynamoDBClient);
const scheduler = fakeScheduler();
const eventBridge = mockClient(EventBridgeClient);
const mocks = [codePipeline, dynamo, scheduler, eventBridge];

function prepare(options: { config?: GuardConfig; now?: Date } = {}) {
  const log = captureLogger();
  const handler = makeHandler({
    config: options.config ?? guardConfig(),
    codepipeline: makeCodePipelineGateway(new CodePipelineClient({ region: 'eu-west-1' })),
    restores: makeRollbackLedger(new DynamoDBClient({ region: 'eu-west-1' }), deployment.ledgerTable),
    actor: actorOver(
      'bake-start',
      new DynamoDBClient({ region: 'eu-west-1' }),
      deployment.ledgerTable,
      makeGuardBus(new EventBridgeClient({ region: 'eu-west-1' }), deployment.busName),
      bakeExecutors({
        ledger: makeLedger(new DynamoDBClient({ region: 'eu-west-1' }), deployment.ledgerTable),
        timers: makeBakeTimers(scheduler.client, deployment),
      }),
      log.logger,
      () => options.now ?? NOW,
    ),
    logger: log.logger,
    now: () => options.now ?? NOW,
  });
  return { invoke: (event: unknown) => handler(event, lambdaContext), log };
}

function executionOf(executionId: string) {
  return {
    pipelineExecution: {
      pipelineName: 'leadout',
      pipelineVersion: 3,
      pipelineExecutionId: executionId,
      status: 'InProgress' as const,
      executionMode: 'SUPERSEDED' as const,
      executionType: 'STANDARD' as const,
      trigger: { triggerType: 'WebhookV2' as const, triggerDetail: 'codeconnections' },
      artifactRevisions: [
        {
          name: 'SourceArtifact',
          revisionId: COMMIT,
          revisionSummary: COMMIT_MESSAGE,
          revisionUrl: `https://github.com/leadout/leadout/commit/${COMMIT}`,
        },
      ],
    },
  };
}

const scheduleInput = () =>
  JSON.parse(scheduler.inputs('CreateSchedule')[0]?.Target?.Input ?? '{}') as unknown;
/** What AWS answers to a second Dev success of the same execution. */
const releaseExists = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const timerExists = () =>
  new AwsCallError('ConflictException', `Schedule ${TIMER} already exists.`, { status: 409, attempts: 1 });
const ledgerItem = () => unmarshall(table.item('release#leadout', E) ?? {});
const KEY = `leadout bake ${E}`;
let table: LedgerTable;

beforeEach(() => {
  for (const mock of mocks) mock.reset();
  codePipeline
    .on(GetPipelineExecutionCommand)
    .callsFake((input: { pipelineExecutionId: string }) => executionOf(input.pipelineExecutionId));
  table = ledgerTable(dynamo);
  scheduler.on('CreateSchedule').resolves({
    ScheduleArn: `arn:aws:scheduler:eu-west-1:444455556666:schedule/${deployment.scheduleGroup}/${TIMER}`,
  });
  eventBridge
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b1e6f0c2-1111-4a5b-8c9d-0e1f2a3b4c5d' }] });
});

afterAll(() => {
  for (const mock of mocks) mock.restore();
});

describe('bake-start on a Dev success', () => {
  it('creates a one-time, self-deleting schedule that puts BakeTimerFired on the guard bus at the end of the bake', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toHaveLength(1);
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(
      expect.objectContaining({
        Name: TIMER,
        GroupName: deployment.scheduleGroup,
        ScheduleExpression: 'at(2026-05-12T10:14:28)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: expect.objectContaining({
          Arn: deployment.busArn,
          RoleArn: deployment.schedulerRoleArn,
          EventBridgeParameters: { Source: 'leadout.release-guard', DetailType: 'BakeTimerFired' },
          DeadLetterConfig: { Arn: deployment.deadLetterQueueArn },
        }),
      }),
    );
    expect(scheduleInput()).toEqual({
      pipeline: 'leadout',
      executionId: E,
      commitId: COMMIT,
      devSucceededAt: '2026-05-12T09:14:27.000Z',
      bakeEndsAt: '2026-05-12T10:14:28.000Z',
    });
    // The promote handler must be able to read what the timer will deliver.
    expect(bakeTimerFired.detail.safeParse(scheduleInput()).success).toBe(true);
  });

  it('looks the commit up and records the release in the ledger, first writer wins', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, {
      pipelineName: 'leadout',
      pipelineExecutionId: E,
    });
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: deployment.ledgerTable,
      ConditionExpression: 'attribute_not_exists(executionId)',
    });
    expect(ledgerItem()).toEqual({
      pipeline: 'release#leadout',
      executionId: E,
      devSucceededAt: '2026-05-12T09:14:27.000Z',
      bakeEndsAt: '2026-05-12T10:14:28.000Z',
      commitId: COMMIT,
      commitMessage: COMMIT_MESSAGE,
      expiresAt: Date.parse('2026-05-12T09:14:27Z') / 1000 + 30 * 86_400,
    });
  });

  it('emits BakeStarted on the guard bus', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: deployment.busName })],
    });
    expect(emitted(eventBridge)).toEqual([
      {
        source: 'leadout.release-guard',
        detailType: 'BakeStarted',
        detail: {
          pipeline: 'leadout',
          executionId: E,
          commitId: COMMIT,
          commitMessage: COMMIT_MESSAGE,
          mode: 'enforce',
          devSucceededAt: '2026-05-12T09:14:27.000Z',
          bakeMinutes: 60,
          bakeEndsAt: '2026-05-12T10:14:28.000Z',
          timerName: TIMER,
          decisionKey: `leadout bake ${E}`,
          effects: [
            {
              effect: 'record-release',
              call: 'dynamodb.PutItem',
              resource: `the guard's release record of leadout ${E}`,
              outcome: 'done',
            },
            {
              effect: 'bake-timer',
              call: 'scheduler.CreateSchedule',
              resource: `bake timer ${TIMER}`,
              outcome: 'done',
            },
          ],
        },
      },
    ]);
  });

  it('uses the event id as the log correlation id', async () => {
    // Prepare
    const { invoke, log } = prepare();
    const event = loadEvent('codepipeline/stage-dev-succeeded-modern');

    // Act
    await invoke(event);

    // Assess
    expect(log.correlationIds).toEqual([event.id]);
  });

  it('takes a pipeline’s own bake minutes over the default', async () => {
    // Prepare
    const config = guardConfig({
      pipelines: [{ name: 'leadout', bakeMinutes: 90, devAlarms: { namePrefix: 'leadout-dev-' } }],
    });
    const { invoke } = prepare({ config });

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(
      expect.objectContaining({
        ScheduleExpression: 'at(2026-05-12T10:44:28)',
      }),
    );
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      bakeMinutes: 90,
      bakeEndsAt: '2026-05-12T10:44:28.000Z',
    });
  });

  it('sets a late event’s timer a minute from now, but keeps the real end of the bake', async () => {
    // Prepare: the Dev success is delivered two hours late.
    const { invoke } = prepare({ now: new Date('2026-05-12T11:14:31.250Z') });

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(
      expect.objectContaining({
        ScheduleExpression: 'at(2026-05-12T11:15:31)',
      }),
    );
    expect(scheduleInput()).toMatchObject({ bakeEndsAt: '2026-05-12T10:14:28.000Z' });
  });

  it('reads the old event shape (string version, ARN with :pipeline:, no start-time or attempt)', async () => {
    // Prepare: a few seconds after the legacy fixture's Dev success (07:41:09Z).
    const { invoke } = prepare({ now: new Date('2026-05-12T07:41:12.000Z') });

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-legacy'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, {
      pipelineExecutionId: LEGACY_E,
    });
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(
      expect.objectContaining({
        Name: `bake-df3c585a-${LEGACY_E}`,
        ScheduleExpression: 'at(2026-05-12T08:41:10)',
      }),
    );
    expect(emitted(eventBridge).map((e) => e.detailType)).toEqual(['BakeStarted']);
  });

  it('still sets the timer in observe mode (it is the guard’s own state) and says so in BakeStarted', async () => {
    // Prepare
    const { invoke } = prepare({ config: guardConfig({ mode: 'observe' }) });

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toHaveLength(1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ mode: 'observe' });
  });
});

describe('bake-start on a duplicate Dev success', () => {
  it('emits nothing and writes no timer for a duplicate (the journal item is announced)', async () => {
    // Prepare: the first delivery set up the bake and announced it.
    const { invoke } = prepare();
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));
    expect(journalOf(table, 'bake-start', 'leadout', KEY).state).toBe('announced');

    // Act: EventBridge delivers the same Dev success again.
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(scheduler.inputs('CreateSchedule')).toHaveLength(1);
    expect(
      dynamo.commandCalls(PutItemCommand).filter((c) => c.args[0].input.Item?.executionId?.S === E),
    ).toHaveLength(1);
  });

  it('emits BakeStarted once, from the journal, on the retry that follows a failed PutEvents', async () => {
    // Prepare: the first attempt creates the timer, stores BakeStarted as acted, then PutEvents rejects the entry.
    failPutEventsOnce(eventBridge);
    const { invoke } = prepare();
    await expect(invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'))).rejects.toThrow();
    const stored = journalOf(table, 'bake-start', 'leadout', KEY);
    expect(stored).toMatchObject({ state: 'acted', finalType: 'BakeStarted' });

    // Act: EventBridge retries the same event.
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess: the stored detail went out, under the decision's key; the retry wrote no timer and no release.
    const [failed, retried] = emitted(eventBridge);
    expect(emitted(eventBridge)).toHaveLength(2);
    expect(retried).toEqual(failed);
    expect(retried?.detail).toEqual(stored.finalDetail);
    expect(retried?.detail).toMatchObject({ decisionKey: KEY, executionId: E });
    expect(scheduler.inputs('CreateSchedule')).toHaveLength(1);
    expect(
      dynamo.commandCalls(PutItemCommand).filter((c) => c.args[0].input.Item?.executionId?.S === E),
    ).toHaveLength(1);
    expect(journalOf(table, 'bake-start', 'leadout', KEY)).toMatchObject({ state: 'announced', attempt: 2 });
  });

  it('emits nothing on a duplicate of a decision the old outbox announced (legacy item: announced yes)', async () => {
    // Prepare
    table.put({
      pipeline: { S: 'journal#bake-start#leadout' },
      executionId: { S: `announce#${KEY}` },
      detailType: { S: 'BakeStarted' },
      detail: { S: '{}' },
      announced: { S: 'yes' },
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(scheduler.inputs('CreateSchedule')).toEqual([]);
  });

  it('CreateSchedule took effect but its response was lost (TimeoutError): the retry finds the schedule (Conflict) and announces once', async () => {
    // Prepare
    scheduler.on('CreateSchedule').rejectsOnce(lostResponse()).rejects(timerExists());
    const { invoke } = prepare();
    await expect(invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'))).rejects.toMatchObject({
      name: 'TransientAwsError',
    });
    expect(journalOf(table, 'bake-start', 'leadout', KEY)).toMatchObject({ state: 'pending', attempt: 1 });
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'BakeStarted',
        detail: {
          decisionKey: KEY,
          timerName: TIMER,
          effects: [
            { effect: 'record-release', outcome: 'already-done' },
            { effect: 'bake-timer', outcome: 'already-done' },
          ],
        },
      },
    ]);
    expect(ledgerItem()).toMatchObject({ executionId: E, bakeEndsAt: '2026-05-12T10:14:28.000Z' });
  });
});

describe('bake-start on events it does not act on', () => {
  it.each([
    { what: 'the Prod stage succeeding', change: { stage: 'Prod' } },
    { what: 'the Dev stage starting', change: { state: 'STARTED' } },
    { what: 'the Dev stage failing', change: { state: 'FAILED' } },
    { what: 'an unguarded pipeline', change: { pipeline: 'leadout-docs' } },
  ])('does nothing for $what (no AWS call)', async ({ change }) => {
    // Prepare
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/stage-dev-succeeded-modern');
    Object.assign(event.detail, change);

    // Act
    await invoke(event);

    // Assess
    expectNoAwsCall(mocks);
  });

  it.each<FixtureName>([
    'malformed/stage-dev-succeeded-missing-execution-id',
    'malformed/stage-dev-succeeded-detail-not-object',
    'malformed/unknown-detail-type',
  ])('drops %s: no AWS call, no throw, a warning with the event id', async (name) => {
    // Prepare
    const { invoke, log } = prepare();
    const event = loadEvent(name);

    // Act
    await expect(invoke(event)).resolves.toBeUndefined();

    // Assess
    expectDroppedInvalid(event, log, mocks);
  });
});

describe('bake-start on AWS faults', () => {
  it('throws (so EventBridge retries) when the execution cannot be read, writing only the attempt counter', async () => {
    // Prepare
    codePipeline
      .on(GetPipelineExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/stage-dev-succeeded-modern');

    // Act / Assess
    await expect(invoke(event)).rejects.toMatchObject({
      name: 'TransientAwsError',
      cause: expect.objectContaining({ message: 'Rate exceeded' }) as unknown,
    });
    expect(table.keys()).toEqual([`attempts#bake-start bake-start ${event.id}`]);
    expect(scheduler.operations()).toEqual([]);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('the third throttled read of the execution is now announced as GuardFailed under the bake key: no timer', async () => {
    // Prepare
    codePipeline
      .on(GetPipelineExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/stage-dev-succeeded-modern');

    // Act
    await expect(invoke(event)).rejects.toThrow();
    await expect(invoke(event)).rejects.toThrow();
    await invoke(event);

    // Assess
    expect(scheduler.operations()).toEqual([]);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'GuardFailed',
        detail: { reaction: 'bake-start', decisionKey: KEY, error: { name: 'ThrottlingException' } },
      },
    ]);
  });

  it('throws when PutEvents reports a failed entry', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const { invoke } = prepare();

    // Act / Assess
    await expect(invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'))).rejects.toThrow(
      /PutEvents rejected BakeStarted/,
    );
  });
});

describe('bake-start on the Dev success of the guard’s own restore (restart path)', () => {
  const FAILED = '7a3c9e15-2b4d-4f6a-8c1e-3d5f7a9b0c2e';
  const TARGET = '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
  /** What handlers/rollback recorded when it restarted the pipeline as execution E (lib/aws/rollback-ledger.ts). */
  function restoreRecordFor(failedStage: 'Dev' | 'Prod') {
    codePipeline.on(GetPipelineExecutionCommand).callsFake((input: { pipelineExecutionId: string }) => ({
      pipelineExecution: {
        ...executionOf(input.pipelineExecutionId).pipelineExecution,
        trigger: {
          triggerType: 'StartPipelineExecution',
          triggerDetail: 'arn:aws:sts::444455556666:assumed-role/leadout-guard-example-rollback/rollback',
        },
      },
    }));
    dynamo
      .on(GetItemCommand, {
        Key: { pipeline: { S: 'restore#leadout' }, executionId: { S: `restore#${E}` } },
      })
      .resolves({
        Item: {
          pipeline: { S: 'restore#leadout' },
          executionId: { S: `restore#${E}` },
          failedExecutionId: { S: FAILED },
          targetExecutionId: { S: TARGET },
          targetCommitId: { S: COMMIT },
          path: { S: 'restart' },
          failedStage: { S: failedStage },
          expiresAt: { N: '1781860467' },
        },
      });
  }
  const bakeStartedDetail = () => emitted(eventBridge)[0]?.detail as Record<string, unknown>;

  it('reads the restore record once, consistently, from the ledger table', async () => {
    // Prepare
    restoreRecordFor('Prod');
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: deployment.ledgerTable,
      Key: { pipeline: { S: 'restore#leadout' }, executionId: { S: `restore#${E}` } },
      ConsistentRead: true,
    });
    const restoreReads = dynamo
      .commandCalls(GetItemCommand)
      .filter((c) => c.args[0].input.Key?.executionId?.S === `restore#${E}`);
    expect(restoreReads).toHaveLength(1);
  });

  it('starts no bake timer for a restore of a Prod failure and announces that it passes the gate unbaked', async () => {
    // Prepare
    restoreRecordFor('Prod');
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toEqual([]);
    expect(ledgerItem()).toMatchObject({ pipeline: 'release#leadout', executionId: E, commitId: COMMIT });
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(bakeStartedDetail()).not.toHaveProperty('timerName');
    expect(bakeStartedDetail()).toMatchObject({
      executionId: E,
      decisionKey: `leadout bake ${E}`,
      restore: { failedExecutionId: FAILED, failedStage: 'Prod', passesGateUnbaked: true },
    });
  });

  it('emits nothing on a duplicate Dev success of a Prod restore once the announcement went out', async () => {
    // Prepare: the release and the announcement are both recorded already.
    restoreRecordFor('Prod');
    dynamo.on(PutItemCommand).rejects(releaseExists());
    dynamo.on(GetItemCommand, { Key: { executionId: { S: `announce#leadout bake ${E}` } } }).resolves({
      Item: { detailType: { S: 'BakeStarted' }, detail: { S: '{}' }, announced: { S: 'yes' } },
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toEqual([]);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('keeps the bake timer of a restore of a Dev failure and announces it restored Dev only', async () => {
    // Prepare
    restoreRecordFor('Dev');
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-dev-succeeded-modern'));

    // Assess: the timer lets promote reject it even if its gate's start event is lost.
    expect(scheduler.inputs('CreateSchedule')).toHaveLength(1);
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(expect.objectContaining({ Name: TIMER }));
    expect(bakeStartedDetail()).toMatchObject({
      executionId: E,
      timerName: TIMER,
      restore: { failedExecutionId: FAILED, failedStage: 'Dev', passesGateUnbaked: false },
    });
  });
});
