import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
  type GetPipelineStateOutput,
} from '@aws-sdk/client-codepipeline';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { makeHandler } from '../../handlers/reconcile/make-handler';
import { makeJournalSweep } from '../../lib/act/sweep';
import { JOURNAL_OWNERS } from '../../lib/aws/partitions';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { gateDeps, invoker, mockedAws, REGION } from './clients';
import { captureLogger, deployment, emitted, guardConfig, scheduledEvent } from './harness';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const NOW = new Date('2026-05-12T10:20:00.000Z');
const GUARD_REASON = 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-05-12 09.40 UTC)';

const scheduled = () => scheduledEvent('reconcile');
const JOURNAL_FILTER = 'attribute_exists(#state) AND #state <> :announced';

const { codePipeline, cloudWatch, dynamo, eventBridge } = mockedAws();

function prepare(config: GuardConfig = guardConfig()) {
  const log = captureLogger();
  const tiles = makeTileLedger(new DynamoDBClient(REGION), deployment.ledgerTable);
  const journals = makeJournalSweep(new DynamoDBClient(REGION), deployment.ledgerTable);
  return { invoke: invoker(makeHandler({ ...gateDeps(config, log.logger, NOW), tiles, journals })), log };
}

function prodState(
  transition: { enabled: boolean; reason?: string },
  waiting: boolean,
): GetPipelineStateOutput {
  return {
    pipelineName: 'leadout',
    stageStates: [
      {
        stageName: 'Prod',
        inboundTransitionState: { enabled: transition.enabled, disabledReason: transition.reason },
        latestExecution: { pipelineExecutionId: E, status: waiting ? 'InProgress' : 'Succeeded' },
        actionStates: [
          {
            actionName: 'BakeGate',
            latestExecution: { status: waiting ? 'InProgress' : 'Succeeded', token: TOKEN },
          },
        ],
      },
    ],
  };
}

const alarmsNow = (state: 'OK' | 'ALARM') => ({
  MetricAlarms: [
    {
      AlarmName: 'leadout-dev-api-5xx',
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:leadout-dev-api-5xx',
      StateValue: state,
      StateUpdatedTimestamp: new Date('2026-05-12T09:40:12.318Z'),
    },
  ],
  CompositeAlarms: [],
});

beforeEach(() => {
  codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }, false));
  cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('OK'));
  dynamo.on(GetItemCommand).resolves({
    Item: marshall({
      pipeline: 'leadout',
      executionId: E,
      devSucceededAt: '2026-05-12T09:14:27.000Z',
      bakeEndsAt: '2026-05-12T10:14:28.000Z',
      commitId: '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e',
      expiresAt: 1_781_169_267,
    }),
  });
  dynamo.on(UpdateItemCommand).resolves({});
  // The journals' sweep (lib/act/sweep.ts) finds nothing unannounced unless a test says otherwise.
  dynamo.on(QueryCommand, { FilterExpression: JOURNAL_FILTER }).resolves({ Items: [] });
  eventBridge
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b1e6f0c2-3333-4a5b-8c9d-0e1f2a3b4c5d' }] });
});

const FAILED = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const LKG = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';
const R = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

describe('reconcile', () => {
  it('does nothing, in two reads, when Prod is open, every alarm OK and nothing waits', async () => {
    const { invoke } = prepare();
    const event = scheduled();

    await invoke(event);

    expect(codePipeline).toHaveReceivedCommandTimes(GetPipelineStateCommand, 1);
    expect(cloudWatch).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 1);
    // Apart from them: is this run a retry whose announcement never went out? (Nothing staged: nothing sent.)
    // And one Query per decision journal: did a function leave a decision unannounced? (None did.)
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(JOURNAL_OWNERS.length);
    expect(dynamo.calls()).toHaveLength(1 + JOURNAL_OWNERS.length);
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      Key: {
        pipeline: { S: 'journal#gate#leadout' },
        executionId: { S: `announce#leadout reconciler ${event.id}` },
      },
    });
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('reads each pipeline’s state and alarms together, and reconciles alarmReadConcurrency pipelines at a time', async () => {
    // Prepare: 7 pipelines, 3 at a time; every read answers after a tick, counting the reads in flight.
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => `leadout-${n}`);
    const config = guardConfig({
      alarmReadConcurrency: 3,
      pipelines: names.map((name) => ({ name, devAlarms: { namePrefix: 'leadout-dev-' } })),
    });
    const seen = { inFlight: 0, peak: 0 };
    const slowly = async <T>(answer: T): Promise<T> => {
      seen.peak = Math.max(seen.peak, ++seen.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.inFlight--;
      return answer;
    };
    codePipeline.on(GetPipelineStateCommand).callsFake(() => slowly(prodState({ enabled: true }, false)));
    cloudWatch.on(DescribeAlarmsCommand).callsFake(() => slowly(alarmsNow('OK')));
    const { invoke } = prepare(config);

    // Act
    await invoke(scheduled());

    // Assess: 3 pipelines × 2 reads in flight at most, every pipeline read once
    expect(seen.peak).toBe(6);
    expect(codePipeline).toHaveReceivedCommandTimes(GetPipelineStateCommand, names.length);
    expect(cloudWatch).toHaveReceivedCommandTimes(DescribeAlarmsCommand, names.length);
  });

  it('a retried run with nothing left to do sends the announcement its first attempt staged', async () => {
    // Prepare: Prod already closed by the first attempt, whose PromotionBlocked was staged but rejected.
    const { invoke } = prepare();
    const event = scheduled();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    dynamo.on(GetItemCommand).resolves({
      Item: {
        pipeline: { S: 'journal#gate#leadout' },
        executionId: { S: `announce#leadout reconciler ${event.id}` },
        detailType: { S: 'PromotionBlocked' },
        detail: { S: JSON.stringify({ pipeline: 'leadout', trigger: 'reconciler' }) },
      },
    });

    // Act
    await invoke(event);

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(DisableStageTransitionCommand);
    expect(emitted(eventBridge)).toMatchObject([
      { detailType: 'PromotionBlocked', detail: { pipeline: 'leadout', trigger: 'reconciler' } },
    ]);
  });

  it('blocks when an alarm fires and Prod is open (the ALARM event was lost)', async () => {
    const { invoke } = prepare();
    codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }, true));
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));

    await invoke(scheduled());

    expect(codePipeline).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: GUARD_REASON });
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      token: TOKEN,
      result: expect.objectContaining({ status: 'Rejected' }) as never,
    });
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionBlocked',
      detail: { trigger: 'reconciler' },
    });
  });

  it('unblocks its own block when every alarm is OK (the OK event was lost)', async () => {
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));

    await invoke(scheduled());

    expect(codePipeline).toHaveReceivedCommandTimes(EnableStageTransitionCommand, 1);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionUnblocked',
      detail: { trigger: 'reconciler', outcome: 'enabled' },
    });
  });

  it('leaves a person’s block alone, and says nothing', async () => {
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: 'Release freeze' }, false));

    await invoke(scheduled());

    expect(codePipeline).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('hands an execution waiting after its bake to the promote function, never approving itself', async () => {
    const { invoke } = prepare();
    codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }, true));

    await invoke(scheduled());

    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)).toEqual([
      {
        source: 'leadout.release-guard',
        detailType: 'BakeTimerFired',
        detail: {
          pipeline: 'leadout',
          executionId: E,
          devSucceededAt: '2026-05-12T09:14:27.000Z',
          bakeEndsAt: '2026-05-12T10:14:28.000Z',
          commitId: '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e',
          trigger: 'reconciler',
        },
      },
    ]);
  });

  it('still reconciles the other pipelines when one fails, then fails the run', async () => {
    const { invoke, log } = prepare(
      guardConfig({
        pipelines: [
          { name: 'broken', devAlarms: { namePrefix: 'leadout-dev-' } },
          { name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } },
        ],
      }),
    );
    codePipeline.on(GetPipelineStateCommand, { name: 'broken' }).rejects(new Error('ThrottlingException'));
    codePipeline
      .on(GetPipelineStateCommand, { name: 'leadout' })
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));

    await expect(invoke(scheduled())).rejects.toThrow(/reconciling broken failed/);

    expect(codePipeline).toHaveReceivedCommandTimes(EnableStageTransitionCommand, 1);
    expect(log.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('hands the guard’s restore waiting at the gate, its gate event lost, to promote (no release record)', async () => {
    // Prepare: a RollbackStage restore never ran Dev: no release record, a restore record
    const { invoke } = prepare();
    codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }, true));
    dynamo.on(GetItemCommand).resolves({});
    dynamo
      .on(GetItemCommand, { Key: marshall({ pipeline: 'restore#leadout', executionId: `restore#${E}` }) })
      .resolves({
        Item: marshall({
          pipeline: 'restore#leadout',
          executionId: `restore#${E}`,
          failedExecutionId: FAILED,
          targetExecutionId: LKG,
          targetCommitId: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          path: 'rollback-stage',
          failedStage: 'Prod',
        }),
      });

    // Act
    await invoke(scheduled());

    // Assess: the release record (none: its partition, then the legacy one), then the restore record
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 3);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)).toEqual([
      {
        source: 'leadout.release-guard',
        detailType: 'BakeTimerFired',
        detail: {
          pipeline: 'leadout',
          executionId: E,
          commitId: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          trigger: 'reconciler',
        },
      },
    ]);
  });

  it('lifts its own block, an alarm still firing, for its restore of a Prod failure waiting to enter Prod', async () => {
    // Prepare: the restart ran Dev and waits behind the guard's block
    const { invoke } = prepare();
    codePipeline.on(GetPipelineStateCommand).resolves(inboundState(R));
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    dynamo.on(GetItemCommand).resolves({});
    dynamo
      .on(GetItemCommand, { Key: marshall({ pipeline: 'restore#leadout', executionId: `restore#${R}` }) })
      .resolves({
        Item: marshall({
          pipeline: 'restore#leadout',
          executionId: `restore#${R}`,
          failedExecutionId: FAILED,
          targetExecutionId: LKG,
          path: 'restart',
          failedStage: 'Prod',
        }),
      });

    // Act
    await invoke(scheduled());

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(EnableStageTransitionCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionUnblocked',
      detail: { trigger: 'reconciler', outcome: 'enabled', forRestore: R, alarmsChecked: [] },
    });
  });

  it('keeps its block, an alarm firing, for an ordinary release waiting to enter Prod', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline.on(GetPipelineStateCommand).resolves(inboundState(R));
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow('ALARM'));
    dynamo.on(GetItemCommand).resolves({});

    // Act
    await invoke(scheduled());

    // Assess: the restore record (none: its partition, then the legacy one), the run's announcement (none staged)
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 3);
    expect(codePipeline).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('hands a tile restart whose timeout timer was lost to tile-follow, once its deadline is well past', async () => {
    // Prepare: one restart without an outcome, its deadline 10 minutes ago; one still within its deadline.
    const { invoke } = prepare(
      guardConfig({
        pipelines: [
          {
            name: 'leadout',
            devAlarms: { namePrefix: 'leadout-dev-' },
            tileServices: [{ cluster: 'leadout-prod', services: ['tile-server'] }],
          },
        ],
      }),
    );
    const restart = (deploymentId: string, deadline: Date) => ({
      pipeline: { S: '#tile-deployments' },
      executionId: { S: deploymentId },
      restartPipeline: { S: 'leadout' },
      restartOf: { S: FAILED },
      cluster: { S: 'leadout-prod' },
      service: { S: 'tile-server' },
      controller: { S: 'ECS' },
      deploymentId: { S: deploymentId },
      startedAt: { S: new Date(deadline.getTime() - 30 * 60_000).toISOString() },
      deadline: { S: deadline.toISOString() },
    });
    dynamo.on(QueryCommand).resolves({
      Items: [
        restart('ecs-svc/4611686018427300001', new Date(NOW.getTime() - 10 * 60_000)),
        restart('ecs-svc/4611686018427300002', new Date(NOW.getTime() - 60_000)),
      ],
    });

    // Act
    await invoke(scheduled());

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: deployment.ledgerTable,
      FilterExpression: 'attribute_not_exists(outcome)',
    });
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'TileRestartTimerFired',
        detail: expect.objectContaining({
          deploymentId: 'ecs-svc/4611686018427300001',
          service: 'tile-server',
        }),
      }),
    ]);
  });
});

/** Prod closed by the guard, nothing at the gate, one execution waiting to enter. */
function inboundState(id: string): GetPipelineStateOutput {
  const state = prodState({ enabled: false, reason: GUARD_REASON }, false);
  const prod = state.stageStates![0]!;
  prod.inboundExecutions = [{ pipelineExecutionId: id, status: 'InProgress' }];
  return state;
}

describe('reconcile announces what a function left unannounced (invariant 5: never silence)', () => {
  const staleLease = new Date(NOW.getTime() - 20 * 60_000).toISOString();
  const approval = {
    decisionKey: `leadout gate approve ${E}`,
    mode: 'enforce',
    pipeline: 'leadout',
    executionId: E,
  };
  const journalItem = (state: 'pending' | 'acted', leaseUntil = staleLease) => ({
    pipeline: { S: 'journal#promote#leadout' },
    executionId: { S: `announce#leadout gate approve ${E}` },
    state: { S: state },
    detailType: { S: 'PromotionApproved' },
    detail: { S: JSON.stringify(approval) },
    effects: {
      S: JSON.stringify([
        {
          id: 'answer-gate',
          kind: 'answer-gate',
          call: 'codepipeline.PutApprovalResult',
          resource: 'leadout/Prod/BakeGate',
          params: {},
        },
      ]),
    },
    attempt: { N: '3' },
    createdAt: { S: staleLease },
    leaseUntil: { S: leaseUntil },
    ...(state === 'acted'
      ? {
          finalType: { S: 'PromotionApproved' },
          finalDetail: { S: JSON.stringify({ ...approval, effects: [] }) },
        }
      : {}),
  });
  const journalHolds = (item: ReturnType<typeof journalItem>) =>
    dynamo
      .on(QueryCommand)
      .callsFake(
        (input: { FilterExpression?: string; ExpressionAttributeValues?: Record<string, { S?: string }> }) =>
          input.FilterExpression === JOURNAL_FILTER &&
          input.ExpressionAttributeValues?.[':p']?.S === 'journal#promote#leadout'
            ? { Items: [item] }
            : { Items: [] },
      );
  const sweptMarks = () => dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.pipeline?.S);

  let swept = false;
  beforeEach(() => {
    swept = false;
    dynamo.on(PutItemCommand).resolves({});
    dynamo
      .on(GetItemCommand)
      .callsFake((input: { Key?: { pipeline?: { S?: string } } }) =>
        input.Key?.pipeline?.S === 'swept#leadout'
          ? swept
            ? { Item: { pipeline: { S: 'swept#leadout' }, executionId: { S: 'promote x' } } }
            : {}
          : {},
      );
  });

  it('an acted decision whose PutEvents failed on every attempt: its stored announcement, once', async () => {
    journalHolds(journalItem('acted'));
    const { invoke } = prepare();

    await invoke(scheduled());

    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({ detailType: 'PromotionApproved', detail: expect.objectContaining(approval) }),
    ]);
    expect(sweptMarks()).toEqual(['swept#leadout']);
  });

  it('a pending decision (its function died on its last attempt): GuardFailed naming what may have run', async () => {
    journalHolds(journalItem('pending'));
    const { invoke } = prepare();

    await invoke(scheduled());

    const [failed] = emitted(eventBridge);
    expect(failed).toMatchObject({
      detailType: 'GuardFailed',
      detail: {
        decisionKey: `leadout gate approve ${E} interrupted`,
        reaction: 'promote',
        call: 'codepipeline.PutApprovalResult',
        resource: 'leadout/Prod/BakeGate',
        error: { name: 'Interrupted' },
      },
    });
    expect(String((failed?.detail as { consequence?: string }).consequence)).toContain('dead-letter queue');
  });

  it('announces nothing for a decision already swept, or one an invocation holds now', async () => {
    // Held right now by an invocation (its lease runs): it may still announce it itself.
    journalHolds(journalItem('acted', new Date(NOW.getTime() + 30_000).toISOString()));
    const { invoke } = prepare();
    await invoke(scheduled());
    expect(emitted(eventBridge)).toEqual([]);

    journalHolds(journalItem('acted'));
    swept = true;
    await invoke(scheduled());
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });
});
