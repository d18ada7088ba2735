import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type AlarmHistoryItem,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import {
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
  type GetPipelineStateOutput,
} from '@aws-sdk/client-codepipeline';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { makeHandler } from '../../handlers/promote/make-handler';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import {
  devAlarmReader,
  guardActor,
  invoker,
  mockedAws,
  REGION,
  releaseLedger,
  rollbackLedger,
} from './clients';
import { answerGateEffect, gateExecutors } from '../../lib/effects/gate';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { loadEvent, type FixtureName } from '../fixtures/load';
import {
  expectNoAwsCall,
  captureLogger,
  deployment,
  emitted,
  guardConfig,
  expectDroppedInvalid,
  failPutEventsOnce,
} from './harness';
import { journalItem, journalOf, ledgerTable, lostResponse, throttled, type LedgerTable } from './table';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const NEWER = 'd5190191-1f86-4b52-9227-41663d3ae069';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';
const DEV_SUCCEEDED_AT = '2026-05-12T09:14:27.000Z';
const BAKE_ENDS_AT = '2026-05-12T10:14:27.000Z';
/** Two seconds after the bake timer fired. */
const AFTER_BAKE = new Date('2026-05-12T10:14:29.000Z');
/** Two seconds after the approval action of the fixture started, well inside the bake. */
const DURING_BAKE = new Date('2026-05-12T09:15:05.000Z');
const API_5XX = 'leadout-dev-api-5xx';

const { codePipeline, cloudWatch, tagging, dynamo, eventBridge, all: mocks } = mockedAws();
const byTeam = () =>
  guardConfig({
    pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-', tags: { team: 'maps' } } }],
  });

function prepare(options: { config?: GuardConfig; now?: Date } = {}) {
  const log = captureLogger();
  const sleeps: number[] = [];
  const handler = makeHandler({
    config: options.config ?? guardConfig(),
    codepipeline: makeCodePipelineGateway(new CodePipelineClient(REGION)),
    alarms: devAlarmReader(),
    ledger: releaseLedger(),
    restores: rollbackLedger(),
    holds: { list: () => Promise.resolve([]) },
    overrides: { get: () => Promise.resolve(undefined) },
    freeze: () => Promise.resolve({ frozen: false, reasons: [] }),
    actor: guardActor(
      'promote',
      gateExecutors({
        codepipeline: makeCodePipelineGateway(new CodePipelineClient(REGION)),
        transitions: makeProdTransition(new CodePipelineClient(REGION)),
      }),
      log.logger,
      () => options.now ?? AFTER_BAKE,
    ),
    logger: log.logger,
    now: () => options.now ?? AFTER_BAKE,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { invoke: invoker(handler), log, sleeps };
}

/** GetPipelineState as CodePipeline reports it: E in Prod at the gate, Dev's latest and Prod's inbound queue. */
function pipelineState(
  options: {
    token?: string | null;
    devLatest?: { id: string; status: 'Succeeded' | 'InProgress' | 'Failed' };
    inbound?: string[];
  } = {},
): GetPipelineStateOutput {
  const token = options.token === undefined ? TOKEN : (options.token ?? undefined);
  const dev = options.devLatest ?? { id: E, status: 'Succeeded' };
  return {
    pipelineName: 'leadout',
    pipelineVersion: 3,
    stageStates: [
      {
        stageName: 'Dev',
        latestExecution: { pipelineExecutionId: dev.id, status: dev.status },
        actionStates: [{ actionName: 'DeployDev', latestExecution: { status: dev.status } }],
      },
      {
        stageName: 'Prod',
        inboundExecutions: (options.inbound ?? []).map((id) => ({
          pipelineExecutionId: id,
          status: 'InProgress' as const,
        })),
        latestExecution: { pipelineExecutionId: E, status: 'InProgress' },
        actionStates: [
          {
            actionName: 'BakeGate',
            latestExecution: {
              actionExecutionId: '7af3dca5-bbfc-4429-a1d8-688f70c427f4',
              status: 'InProgress',
              lastStatusChange: new Date('2026-05-12T09:15:03.000Z'),
              token,
            },
          },
          { actionName: 'DeployTileApi' },
        ],
      },
    ],
    created: new Date('2025-11-03T12:00:00.000Z'),
    updated: new Date('2026-04-28T08:30:00.000Z'),
  };
}

function alarmsNow(state: StateValue = 'OK') {
  return {
    MetricAlarms: [
      {
        AlarmName: API_5XX,
        AlarmArn: `arn:aws:cloudwatch:eu-west-1:444455556666:alarm:${API_5XX}`,
        StateValue: state,
        StateReason: 'Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (5.0).',
        StateUpdatedTimestamp: new Date('2026-05-12T09:51:00.000Z'),
      },
    ],
    CompositeAlarms: [],
  };
}

function historyItem(name: string, from: StateValue, to: StateValue, at: string): AlarmHistoryItem {
  return {
    AlarmName: name,
    AlarmType: 'MetricAlarm',
    Timestamp: new Date(at),
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${from} to ${to}`,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: from, stateReason: 'Threshold Crossed' },
      newState: { stateValue: to, stateReason: 'Threshold Crossed' },
    }),
  };
}

/** What bake-start recorded in the ledger for E. */
const ledgerItem = (extra: Record<string, unknown> = {}) =>
  marshall({
    pipeline: 'release#leadout',
    executionId: E,
    devSucceededAt: DEV_SUCCEEDED_AT,
    bakeEndsAt: BAKE_ENDS_AT,
    commitId: COMMIT,
    commitMessage: 'Render tile labels with the new font stack',
    expiresAt: 1_781_169_267,
    ...extra,
  });

let table: LedgerTable;
const APPROVE_KEY = `leadout gate approve ${E}`;
const REJECT_KEY = `leadout gate reject ${E}`;
/** The journal's writes (PutItem / UpdateItem of `announce#…` items), in order. */
const journalWrites = () =>
  dynamo
    .calls()
    .map((c) => ({
      command: c.args[0],
      input: c.args[0].input as {
        Item?: Record<string, { S?: string }>;
        Key?: Record<string, { S?: string }>;
      },
    }))
    .filter(({ command }) => command instanceof PutItemCommand || command instanceof UpdateItemCommand)
    .filter(({ input }) => (input.Item ?? input.Key)?.executionId?.S?.startsWith('announce#'))
    .map(({ command }) => (command instanceof PutItemCommand ? 'put' : 'update'));

const approvals = () => codePipeline.commandCalls(PutApprovalResultCommand).map((c) => c.args[0].input);

beforeEach(() => {
  codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
  codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: AFTER_BAKE });
  codePipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: { pipelineExecutionId: E, status: 'InProgress', executionType: 'STANDARD' },
  });
  cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('OK'));
  cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  table = ledgerTable(dynamo, [ledgerItem()]);
  eventBridge
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b1e6f0c2-1111-4a5b-8c9d-0e1f2a3b4c5d' }] });
});

describe('promote, enforce mode', () => {
  it.each<FixtureName>(['guard/bake-timer-fired', 'guard/bake-timer-fired-detail-string'])(
    'approves E when %s, the alarms stayed quiet and the token is there',
    async (name) => {
      // Prepare
      const { invoke } = prepare();

      // Act
      await invoke(loadEvent(name));

      // Assess
      expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
      expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
        pipelineName: 'leadout',
        stageName: 'Prod',
        actionName: 'BakeGate',
        token: TOKEN,
        result: { status: 'Approved', summary: expect.stringContaining('baked 60 min') },
      });
      expect(approvals()[0]?.result?.summary).toContain(COMMIT.slice(0, 12));
      expect(emitted(eventBridge)).toEqual([
        {
          source: 'leadout.release-guard',
          detailType: 'PromotionApproved',
          detail: expect.objectContaining({
            pipeline: 'leadout',
            executionId: E,
            commitId: COMMIT,
            mode: 'enforce',
            trigger: 'timer',
            bakedMinutes: 60,
            alarmsChecked: [API_5XX],
          }),
        },
      ]);
    },
  );

  it('a tag selector: one GetResources with the tag filters picks the alarms, another team’s ALARM does not block', async () => {
    // Prepare
    const batch = { ...alarmsNow('ALARM').MetricAlarms[0]!, AlarmName: 'leadout-dev-batch-errors' };
    batch.AlarmArn = `arn:aws:cloudwatch:eu-west-1:444455556666:alarm:${batch.AlarmName}`;
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [...alarmsNow('OK').MetricAlarms, batch] });
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        { ResourceARN: alarmsNow().MetricAlarms[0]!.AlarmArn, Tags: [{ Key: 'team', Value: 'maps' }] },
      ],
      PaginationToken: '',
    });
    const { invoke } = prepare({ config: byTeam() });

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 1);
    expect(tagging).toHaveReceivedCommandWith(GetResourcesCommand, {
      ResourceTypeFilters: ['cloudwatch:alarm'],
      TagFilters: [{ Key: 'team', Values: ['maps'] }],
      ResourcesPerPage: 100,
    });
    expect(cloudWatch).not.toHaveReceivedCommand(ListTagsForResourceCommand);
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ alarmsChecked: [API_5XX] });
  });

  it('reads the selected alarms and their history from the Dev success until now', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(cloudWatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNamePrefix: 'leadout-dev-' });
    expect(cloudWatch).toHaveReceivedCommandWith(DescribeAlarmHistoryCommand, {
      AlarmName: API_5XX,
      HistoryItemType: 'StateUpdate',
      StartDate: new Date(DEV_SUCCEEDED_AT),
      EndDate: AFTER_BAKE,
    });
  });

  it('approves when E reaches the gate after its bake is over, from the ledger record', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: deployment.ledgerTable,
      Key: marshall({ pipeline: 'release#leadout', executionId: E }),
      ConsistentRead: true,
    });
    expect(approvals()).toEqual([
      expect.objectContaining({ token: TOKEN, result: expect.objectContaining({ status: 'Approved' }) }),
    ]);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ trigger: 'gate-started', commitId: COMMIT });
  });

  it('neither answers nor emits when the gate starts before the bake is over', async () => {
    // Prepare
    const { invoke } = prepare({ now: DURING_BAKE });

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
  });

  it('rejects E as superseded when a newer execution succeeded in Dev', async () => {
    // Prepare
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(pipelineState({ devLatest: { id: NEWER, status: 'Succeeded' } }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      token: TOKEN,
      result: { status: 'Rejected', summary: expect.stringContaining(`superseded by ${NEWER}`) },
    });
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'PromotionRejected',
        detail: expect.objectContaining({ executionId: E, reason: 'superseded', supersededBy: NEWER }),
      }),
    ]);
  });

  it('rejects E when a Dev alarm fired during the bake, even though it is OK again now', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        historyItem(API_5XX, 'ALARM', 'OK', '2026-05-12T09:51:00.000Z'),
        historyItem(API_5XX, 'OK', 'ALARM', '2026-05-12T09:33:00.000Z'),
      ],
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(approvals()).toEqual([
      expect.objectContaining({ result: expect.objectContaining({ status: 'Rejected' }) }),
    ]);
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'PromotionRejected',
        detail: expect.objectContaining({
          reason: 'alarm',
          alarms: [expect.objectContaining({ name: API_5XX, state: 'ALARM' })],
        }),
      }),
    ]);
  });

  it('a gate a person answered first (ApprovalAlreadyCompletedException) is now announced as GuardFailed naming the preemption, once', async () => {
    // Prepare: a person approved E by hand; CodePipeline refuses the guard's answer and shows whose it is.
    const answeredByHand = pipelineState();
    Object.assign(answeredByHand.stageStates![1]!.actionStates![0]!.latestExecution!, {
      status: 'Succeeded',
      token: undefined,
      summary: 'approved by hand: hotfix',
      lastUpdatedBy: 'arn:aws:sts::444455556666:assumed-role/Admin/alice',
    });
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(
        new ApprovalAlreadyCompletedException({ message: 'Approval already completed', $metadata: {} }),
      );
    codePipeline.on(GetPipelineStateCommand).resolvesOnce(pipelineState()).resolves(answeredByHand);
    const { invoke } = prepare();

    // Act
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).resolves.toBeUndefined();

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'GuardFailed',
        detail: expect.objectContaining({
          reaction: 'promote',
          executionId: E,
          call: 'codepipeline.PutApprovalResult',
          error: {
            name: 'Preempted',
            message: 'the gate was already approved by arn:aws:sts::444455556666:assumed-role/Admin/alice',
          },
          effects: [expect.objectContaining({ effect: 'answer-gate', outcome: 'preempted' })],
        }),
      }),
    ]);
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY).state).toBe('announced');
  });

  it('the approval went through but its response was lost (TimeoutError): the retry recognises it by its summary and announces once, never answering twice', async () => {
    // Prepare: PutApprovalResult takes effect, the SDK times out waiting for the answer.
    codePipeline.on(PutApprovalResultCommand).rejects(lostResponse());
    const { invoke } = prepare();
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).rejects.toMatchObject({
      name: 'TransientAwsError',
    });
    const summary = approvals()[0]?.result?.summary;
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY)).toMatchObject({
      state: 'pending',
      attempt: 1,
    });
    expect(emitted(eventBridge)).toEqual([]);
    // CodePipeline now shows the gate answered, with the guard's summary.
    const approved = pipelineState();
    Object.assign(approved.stageStates![1]!.actionStates![0]!.latestExecution!, {
      status: 'Succeeded',
      token: undefined,
      summary,
      lastUpdatedBy: 'arn:aws:sts::444455556666:assumed-role/leadout-release-guard-dev-promote/fn',
    });
    codePipeline.on(GetPipelineStateCommand).resolves(approved);

    // Act: Lambda retries the event.
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'PromotionApproved',
        detail: expect.objectContaining({
          executionId: E,
          decisionKey: APPROVE_KEY,
          effects: [expect.objectContaining({ effect: 'answer-gate', outcome: 'already-done' })],
        }),
      }),
    ]);
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY)).toMatchObject({
      state: 'announced',
      attempt: 2,
    });
  });

  it('drops a bake timer whose times disagree with the ledger release record (now always read): counted as invalidEvent, nothing answered or said', async () => {
    // Prepare: the recorded bake ends later than the timer claims.
    table.put(ledgerItem({ bakeEndsAt: '2026-05-12T11:14:27.000Z' }));
    const { invoke, log } = prepare();

    // Act
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).resolves.toBeUndefined();

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      Key: marshall({ pipeline: 'release#leadout', executionId: E }),
      ConsistentRead: true,
    });
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
    expect(journalWrites()).toEqual([]);
    expect(log.entries.filter((e) => e.level === 'warn').map((e) => e.extra[0])).toEqual([
      expect.objectContaining({ invalidEvent: true, executionId: E }),
    ]);
  });

  it('drops a bake timer when the ledger has no release record for E (now always read): counted as invalidEvent', async () => {
    // Prepare
    table.remove('release#leadout', E);
    const { invoke, log } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(log.entries.some((e) => (e.extra[0] as { invalidEvent?: boolean })?.invalidEvent)).toBe(true);
  });
});

describe('promote when PutEvents fails after the gate was answered (invariant 4)', () => {
  /** GetPipelineState once the approval went through: E runs the next Prod action, nothing waits at the gate. */
  const movedOn = (): GetPipelineStateOutput => {
    const state = pipelineState();
    const gate = state.stageStates?.[1]?.actionStates?.[0]?.latestExecution;
    if (gate) Object.assign(gate, { status: 'Succeeded', token: undefined });
    return state;
  };

  it.each([
    { what: 'the gate has moved on', retryState: movedOn },
    {
      what: 'a stale state still shows the gate waiting (now answered once, not twice)',
      retryState: () => pipelineState(),
    },
  ])('announces PromotionApproved exactly once after the retry, when $what', async ({ retryState }) => {
    // Prepare: the first attempt approves and stores PromotionApproved as acted, then PutEvents rejects the entry.
    failPutEventsOnce(eventBridge);
    const { invoke } = prepare();
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).rejects.toThrow();
    const stored = journalOf(table, 'promote', 'leadout', APPROVE_KEY);
    expect(stored).toMatchObject({ state: 'acted', finalType: 'PromotionApproved' });
    codePipeline.on(GetPipelineStateCommand).resolves(retryState());
    const writesBefore = journalWrites().length;

    // Act: EventBridge retries the timer event.
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess: one approval, and the stored PromotionApproved went out again under the decision's key.
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    const [failed, retried] = emitted(eventBridge);
    expect(emitted(eventBridge)).toHaveLength(2);
    expect(retried).toEqual(failed);
    expect(retried?.detail).toEqual(stored.finalDetail);
    expect(retried?.detail).toMatchObject({ decisionKey: APPROVE_KEY, executionId: E });
    // The retry only takes the decision over and marks it announced: no second intent, no second outcome.
    const retryWrites = journalWrites().slice(writesBefore);
    expect(retryWrites.filter((w) => w === 'update')).toHaveLength(2);
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY)).toMatchObject({
      state: 'announced',
      attempt: 2,
    });
    expect(
      dynamo
        .commandCalls(UpdateItemCommand)
        .filter((c) => c.args[0].input.UpdateExpression?.includes('finalType')),
    ).toHaveLength(1);
  });
});

describe('promote, observe mode', () => {
  const observe = () => guardConfig({ mode: 'observe' });

  it('never answers the gate, records the decision in the journal and reports "would have approved"', async () => {
    // Prepare
    const { invoke } = prepare({ config: observe() });

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: deployment.ledgerTable,
      Item: expect.objectContaining({
        pipeline: { S: 'journal#promote#leadout' },
        executionId: { S: `announce#${APPROVE_KEY}` },
        state: { S: 'pending' },
        effects: { S: '[]' },
      }),
      ConditionExpression: 'attribute_not_exists(executionId)',
    });
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY).state).toBe('announced');
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'PromotionApproved',
        detail: expect.objectContaining({ mode: 'observe', executionId: E, decisionKey: APPROVE_KEY }),
      }),
    ]);
  });

  it('emits nothing for a second trigger of the same execution (the journal item is already announced)', async () => {
    // Prepare: the timer fired and was reported; then E reaches the gate.
    const { invoke } = prepare({ config: observe() });
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess: both triggers tried to record the intent; the second found it announced and stayed silent.
    const intents = dynamo
      .commandCalls(PutItemCommand)
      .filter((c) => c.args[0].input.Item?.executionId?.S === `announce#${APPROVE_KEY}`);
    expect(intents).toHaveLength(2);
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY)).toMatchObject({
      state: 'announced',
      attempt: 1,
    });
  });

  it('reports "would have rejected" for a superseded E whose Dev success was never recorded', async () => {
    // Prepare: no ledger item for E; the decision must not depend on one.
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState({ inbound: [NEWER] }));
    table.remove('leadout', E);
    const { invoke } = prepare({ config: observe() });

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ executionId: { S: `announce#${REJECT_KEY}` } }),
      ConditionExpression: 'attribute_not_exists(executionId)',
    });
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'PromotionRejected',
        detail: expect.objectContaining({ mode: 'observe', reason: 'superseded', supersededBy: NEWER }),
      }),
    ]);
  });
});

describe('promote, a rollback execution with no restore record', () => {
  it('neither approves nor rejects it as superseded: it waits for the guard’s record or a person', async () => {
    // Prepare: E is a ROLLBACK execution (a person's, or the guard's whose record is not written yet)
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState({ inbound: [NEWER] }));
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: { pipelineExecutionId: E, status: 'InProgress', executionType: 'ROLLBACK' },
    });
    table.remove('leadout', E);
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)).toEqual([]);
  });
});

describe('promote while the approval token lags', () => {
  it('retries with a pause until the token appears, then approves with it', async () => {
    // Prepare
    codePipeline
      .on(GetPipelineStateCommand)
      .resolvesOnce(pipelineState({ token: null }))
      .resolves(pipelineState());
    const { invoke, sleeps } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(sleeps).toEqual([1_000]);
    expect(codePipeline).toHaveReceivedCommandTimes(GetPipelineStateCommand, 2);
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      token: TOKEN,
      result: expect.objectContaining({ status: 'Approved' }),
    });
    expect(emitted(eventBridge).map((e) => e.detailType)).toEqual(['PromotionApproved']);
  });

  it('throws (so EventBridge retries later) when the token never appears, without answering', async () => {
    // Prepare
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState({ token: null }));
    const { invoke, sleeps } = prepare();

    // Act / Assess
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).rejects.toMatchObject({
      name: 'TransientAwsError',
    });
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe('promote on AWS faults', () => {
  const FAILED_KEY = `leadout gate failed ${E} timer`;

  it.each([
    { what: 'GetPipelineState', fail: () => codePipeline.on(GetPipelineStateCommand).rejects(throttled()) },
    { what: 'DescribeAlarms', fail: () => cloudWatch.on(DescribeAlarmsCommand).rejects(throttled()) },
    {
      what: 'DescribeAlarmHistory',
      fail: () => cloudWatch.on(DescribeAlarmHistoryCommand).rejects(throttled()),
    },
    {
      what: 'GetResources (tag selector)',
      // The Tagging API's own name for it, with no $retryable: transient by its name (lib/errors.ts).
      fail: () => tagging.on(GetResourcesCommand).rejects(throttled('ThrottledException')),
      error: 'ThrottledException',
      config: byTeam(),
    },
  ])(
    'a throttled $what is now thrown while retries are left, then announced once as GuardFailed on the last attempt: never approved',
    async ({ fail, error = 'ThrottlingException', config }) => {
      // Prepare
      fail();
      const { invoke, log } = prepare({ config });
      const event = loadEvent('guard/bake-timer-fired');

      // Act: Lambda's first try and two retries of the same event.
      await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
      await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
      expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
      await expect(invoke(event)).resolves.toBeUndefined();

      // Assess
      expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
      expect(table.item('attempts#promote', `promote ${event.id}`)?.failed).toEqual({ N: '3' });
      expect(emitted(eventBridge)).toEqual([
        expect.objectContaining({
          detailType: 'GuardFailed',
          detail: expect.objectContaining({
            reaction: 'promote',
            pipeline: 'leadout',
            executionId: E,
            decisionKey: FAILED_KEY,
            error: { name: error, message: 'Rate exceeded' },
          }),
        }),
      ]);
      // handler.ts does not wrap its clients with namingCalls: the GuardFailed names no call.
      expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('call');
      expect(journalOf(table, 'promote', 'leadout', FAILED_KEY).state).toBe('announced');
      expect(log.entries.some((e) => e.level === 'error')).toBe(true);
    },
  );

  it('a refused read (AccessDenied) is announced as GuardFailed at once, without a retry', async () => {
    // Prepare
    codePipeline
      .on(GetPipelineStateCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: {} }));
    const { invoke } = prepare();

    // Act
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).resolves.toBeUndefined();

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'GuardFailed',
        detail: expect.objectContaining({
          error: { name: 'AccessDeniedException', message: 'not authorized' },
        }),
      }),
    ]);
  });

  it('throws (so EventBridge retries) when PutEvents reports a failed entry', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const { invoke } = prepare();

    // Act / Assess
    await expect(invoke(loadEvent('guard/bake-timer-fired'))).rejects.toThrow(
      /PutEvents rejected PromotionApproved/,
    );
  });

  it('does not approve when the alarm history is longer than it read (fail closed)', async () => {
    // Prepare: busy history, newest first; the ALARM right after the Dev success is on a page never read.
    const page = (n: number) => ({
      AlarmHistoryItems: [historyItem(API_5XX, 'OK', 'OK', `2026-05-12T10:0${n}:00.000Z`)],
      NextToken: `page-${n + 1}`,
    });
    cloudWatch
      .on(DescribeAlarmHistoryCommand)
      .resolvesOnce(page(1))
      .resolvesOnce(page(2))
      .resolvesOnce(page(3))
      .resolvesOnce(page(4))
      .resolvesOnce(page(5))
      .resolves({ AlarmHistoryItems: [historyItem(API_5XX, 'OK', 'ALARM', '2026-05-12T09:20:00.000Z')] });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(approvals().filter((a) => a.result?.status === 'Approved')).toEqual([]);
  });

  it('does not approve when there are more selected alarms than it read (fail closed)', async () => {
    // Prepare: many quiet Dev alarms; the one in ALARM is on the sixth page.
    const quietPage = (n: number) => ({
      MetricAlarms: [{ ...alarmsNow('OK').MetricAlarms[0], AlarmName: `leadout-dev-quiet-${n}` }],
      NextToken: `page-${n + 1}`,
    });
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce(quietPage(1))
      .resolvesOnce(quietPage(2))
      .resolvesOnce(quietPage(3))
      .resolvesOnce(quietPage(4))
      .resolvesOnce(quietPage(5))
      .resolves(alarmsNow('ALARM'));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(approvals().filter((a) => a.result?.status === 'Approved')).toEqual([]);
  });
});

describe('promote on events it does not act on', () => {
  it('does nothing for another action starting in Prod (no AWS call)', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/action-prod-deploy-started'));

    // Assess
    expectNoAwsCall(mocks);
  });

  it('does nothing for the bake timer of an unguarded pipeline (no AWS call)', async () => {
    // Prepare
    const { invoke } = prepare();
    const event = loadEvent('guard/bake-timer-fired');
    event.detail.pipeline = 'leadout-docs';

    // Act
    await invoke(event);

    // Assess
    expectNoAwsCall(mocks);
  });

  it.each<FixtureName>([
    'malformed/action-approval-started-missing-execution-id',
    'malformed/bake-timer-fired-detail-not-object',
    'malformed/unknown-detail-type',
    'malformed/stage-dev-succeeded-detail-not-object',
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

describe('promote, the guard’s own restores (invariant 1’s exception)', () => {
  const FAILED = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
  const LKG = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';
  const restoreItem = marshall({
    pipeline: 'restore#leadout',
    executionId: `restore#${E}`,
    failedExecutionId: FAILED,
    targetExecutionId: LKG,
    targetCommitId: COMMIT,
    path: 'rollback-stage',
    failedStage: 'Prod',
  });
  const restoreReads = () =>
    dynamo
      .commandCalls(GetItemCommand)
      .filter((c) => c.args[0].input.Key?.executionId?.S?.startsWith('restore#'));

  it('a restore the guard recorded passes the gate at once: no bake, no alarm read, not superseded', async () => {
    // Prepare: a RollbackStage execution never ran Dev (no release record); Dev's latest is another execution
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(pipelineState({ devLatest: { id: NEWER, status: 'Succeeded' } }));
    table.remove('leadout', E);
    table.put(restoreItem);
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    const { invoke } = prepare({ now: DURING_BAKE });

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(cloudWatch).not.toHaveReceivedAnyCommand();
    expect(approvals()).toEqual([
      expect.objectContaining({
        token: TOKEN,
        result: {
          status: 'Approved',
          summary: expect.stringMatching(
            /^Approved by release-guard: rollback to the known-good commit 3b9e7c2d41f0 .*no bake, Dev alarms not checked\.$/,
          ),
        },
      }),
    ]);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      rollbackOf: FAILED,
      bakedMinutes: 0,
      alarmsChecked: [],
    });
  });

  it('an ordinary release held at the gate reads the restore record (its key, then the legacy key) and stays held', async () => {
    // Prepare: E reaches the gate during its bake; no restore record
    const { invoke } = prepare({ now: DURING_BAKE });

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(restoreReads().map((c) => c.args[0].input.Key?.pipeline?.S)).toEqual([
      'restore#leadout',
      'leadout',
    ]);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('the bake timer never asks for a restore record: an alarm rejects as always', async () => {
    // Prepare
    table.put(restoreItem);
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(restoreReads()).toHaveLength(0);
    expect(approvals()).toEqual([
      expect.objectContaining({ result: expect.objectContaining({ status: 'Rejected' }) }),
    ]);
  });

  it('a restart that restored a Dev failure is rejected at Prod as the guard’s own rejection: Prod keeps its release', async () => {
    // Prepare: the restart ran Dev again and now waits at the Prod gate, unbaked
    table.put({ ...restoreItem, path: { S: 'restart' }, failedStage: { S: 'Dev' } });
    const { invoke } = prepare({ now: DURING_BAKE });

    // Act
    await invoke(loadEvent('codepipeline/action-prod-approval-started'));

    // Assess
    expect(approvals()).toEqual([
      expect.objectContaining({
        result: {
          status: 'Rejected',
          summary: expect.stringMatching(
            /^Rejected by release-guard: this execution restored Dev only, .*Prod already runs a known good release\.$/,
          ),
        },
      }),
    ]);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ reason: 'dev-restore' });
  });

  it('a BakeTimerFired from the reconciler is a reconciler trigger: a waiting restore passes', async () => {
    // Prepare: the restore's gate event was lost; the reconciler hands it over
    table.put(restoreItem);
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    const event = loadEvent('guard/bake-timer-fired');
    event.detail = { ...event.detail, trigger: 'reconciler' };
    const { invoke } = prepare();

    // Act
    await invoke(event);

    // Assess
    expect(approvals()).toEqual([
      expect.objectContaining({ result: expect.objectContaining({ status: 'Approved' }) }),
    ]);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ trigger: 'reconciler', rollbackOf: FAILED });
  });
});

describe('promote trusts the recorded bake, never the timer payload (issue 11)', () => {
  // The ledger says E succeeded in Dev at 10:00, so its 60-minute bake ends at 11:00; the clock says 10:14:29.
  const RECORDED_DEV = '2026-05-12T10:00:00.000Z';
  const RECORDED_END = '2026-05-12T11:00:00.000Z';
  const iso = fc
    .integer({ min: Date.parse('2026-05-12T07:00:00Z'), max: Date.parse('2026-05-12T12:00:00Z') })
    .map((ms) => new Date(ms).toISOString());

  it('no timer payload, however plausible its times, approves an execution whose recorded bake is not over', async () => {
    await fc.assert(
      fc.asyncProperty(iso, iso, fc.boolean(), async (devSucceededAt, bakeEndsAt, asString) => {
        mocks.forEach((m) => m.resetHistory());
        table = ledgerTable(dynamo, [ledgerItem({ devSucceededAt: RECORDED_DEV, bakeEndsAt: RECORDED_END })]);
        const { invoke } = prepare();
        const timer = loadEvent('guard/bake-timer-fired') as { detail: Record<string, unknown> };
        const detail = { ...timer.detail, devSucceededAt, bakeEndsAt };

        await invoke({ ...timer, detail: asString ? JSON.stringify(detail) : detail });

        expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
        expect(emitted(eventBridge).map((e) => e.detailType)).not.toContain('PromotionApproved');
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });
});

describe('promote: an earlier attempt decided the other way and never answered', () => {
  it('rejecting E now closes the approve intent an earlier attempt left pending: one outcome, the rejection', async () => {
    // Prepare: an attempt a minute ago decided to approve E and failed before answering; now a newer execution
    // succeeded in Dev, and E still waits at the gate with its token.
    const earlier = new Date(AFTER_BAKE.getTime() - 60_000);
    table = ledgerTable(dynamo, [
      ledgerItem(),
      journalItem({
        owner: 'promote',
        pipeline: 'leadout',
        keyId: APPROVE_KEY,
        state: 'pending',
        primary: { detailType: 'PromotionApproved', detail: { decisionKey: APPROVE_KEY } },
        effects: [],
        attempt: 2,
        createdAt: earlier,
        leaseUntil: earlier,
      }),
    ]);
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(pipelineState({ devLatest: { id: NEWER, status: 'Succeeded' } }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(approvals().map((a) => a.result?.status)).toEqual(['Rejected']);
    expect(emitted(eventBridge).map((e) => e.detailType)).toEqual(['PromotionRejected']);
    expect(journalOf(table, 'promote', 'leadout', APPROVE_KEY).state).toBe('announced');
    expect(table.item('journal#promote#leadout', `announce#${APPROVE_KEY}`)?.withdrawnFor?.S).toBe(
      REJECT_KEY,
    );
  });
});

describe('promote: the gate never shows its token within the retries', () => {
  it('throws for a retry while retries are left, and ends quietly on the last (nothing written; no dead letter)', async () => {
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState({ token: null }));
    const event = loadEvent('guard/bake-timer-fired');
    const { invoke } = prepare();

    await expect(invoke(event)).rejects.toThrow(/no approval token yet/);
    await expect(invoke(event)).rejects.toThrow(/no approval token yet/);
    await invoke(event); // the third attempt: Lambda would dead-letter a throw

    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe('promote: an earlier attempt answered the gate and died; E has left the gate since', () => {
  it('recognises the answer from E’s own status and announces it once (not as preempted)', async () => {
    // Prepare: the rejection was recorded and sent, the Lambda died before noting it; a newer execution is at the
    // gate now, and E's execution failed there.
    const earlier = new Date(AFTER_BAKE.getTime() - 60_000);
    const summary = 'Rejected by release-guard: superseded';
    table = ledgerTable(dynamo, [
      ledgerItem(),
      journalItem({
        owner: 'promote',
        pipeline: 'leadout',
        keyId: REJECT_KEY,
        state: 'pending',
        primary: {
          detailType: 'PromotionRejected',
          detail: {
            decisionKey: REJECT_KEY,
            pipeline: 'leadout',
            executionId: E,
            mode: 'enforce',
            reason: 'superseded',
            summary,
          },
        },
        effects: [
          answerGateEffect(guardConfig().pipelines[0]!, {
            executionId: E,
            token: TOKEN,
            status: 'Rejected',
            summary,
          }),
        ],
        attempt: 1,
        createdAt: earlier,
        leaseUntil: earlier,
      }),
    ]);
    const state = pipelineState();
    state.stageStates![1]!.latestExecution = { pipelineExecutionId: NEWER, status: 'InProgress' };
    codePipeline.on(GetPipelineStateCommand).resolves(state);
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: { pipelineExecutionId: E, pipelineName: 'leadout', status: 'Failed' },
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/bake-timer-fired'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    const [rejected] = emitted(eventBridge);
    expect(rejected?.detailType).toBe('PromotionRejected');
    expect(JSON.stringify(rejected?.detail)).toContain('"outcome":"already-done"');
  });
});
