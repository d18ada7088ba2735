import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
  type GetPipelineStateOutput,
} from '@aws-sdk/client-codepipeline';
import { GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { makeHandler } from '../../handlers/alarm-gate/make-handler';
import { REASON_CHARS } from '../../lib/transition-reason';
import { gateDeps, invoker, mockedAws } from './clients';
import { journalOf, ledgerTable } from './table';
import { loadEvent, type FixtureName } from '../fixtures/load';
import {
  expectNoAwsCall,
  captureLogger,
  emitted,
  expectDroppedInvalid,
  failPutEventsOnce,
  guardConfig,
} from './harness';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const NOW = new Date('2026-05-12T09:40:15.000Z');
const GUARD_REASON = 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-05-12 09.40 UTC)';
const arn = (name: string) => `arn:aws:cloudwatch:eu-west-1:444455556666:alarm:${name}`;

const { codePipeline, cloudWatch, tagging, dynamo, eventBridge, all: mocks } = mockedAws();

function prepare(config: GuardConfig = guardConfig(), now: Date = NOW) {
  const log = captureLogger();
  return { invoke: invoker(makeHandler(gateDeps(config, log.logger, now))), log };
}

/** Prod as GetPipelineState reports it: its inbound transition, and E waiting at the gate (or not). */
function prodState(
  transition: { enabled: boolean; reason?: string; by?: string },
  waiting = true,
): GetPipelineStateOutput {
  return {
    pipelineName: 'leadout',
    pipelineVersion: 3,
    stageStates: [
      { stageName: 'Dev', latestExecution: { pipelineExecutionId: E, status: 'Succeeded' } },
      {
        stageName: 'Prod',
        inboundTransitionState: {
          enabled: transition.enabled,
          disabledReason: transition.reason,
          lastChangedBy: transition.by ?? 'arn:aws:sts::444455556666:assumed-role/ana/ana',
          lastChangedAt: new Date('2026-05-12T09:20:00.000Z'),
        },
        latestExecution: { pipelineExecutionId: E, status: waiting ? 'InProgress' : 'Succeeded' },
        actionStates: [
          {
            actionName: 'BakeGate',
            latestExecution: {
              status: waiting ? 'InProgress' : 'Succeeded',
              token: waiting ? TOKEN : undefined,
            },
          },
        ],
      },
    ],
  };
}

const alarmsNow = (states: Record<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>) => ({
  MetricAlarms: Object.entries(states).map(([name, state]) => ({
    AlarmName: name,
    AlarmArn: arn(name),
    StateValue: state,
    StateUpdatedTimestamp: new Date('2026-05-12T09:52:03.442Z'),
  })),
  CompositeAlarms: [],
});

beforeEach(() => {
  codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }));
  codePipeline.on(DisableStageTransitionCommand).resolves({});
  codePipeline.on(EnableStageTransitionCommand).resolves({});
  codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
  cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow({ 'leadout-dev-api-5xx': 'OK' }));
  cloudWatch.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'team', Value: 'maps' }] });
  dynamo.on(UpdateItemCommand).resolves({});
  dynamo.on(GetItemCommand).resolves({});
  eventBridge
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b1e6f0c2-2222-4a5b-8c9d-0e1f2a3b4c5d' }] });
});

/** The ALARM state timestamp of the alarm fixtures. */
const AT_ALARM = '2026-05-12T09:40:12.318Z';

/** The ledger items the handler touched (sort keys). */
const ledgerKeys = () =>
  dynamo.calls().map((call) => {
    const input = call.args[0].input as {
      Item?: Record<string, AttributeValue>;
      Key?: Record<string, AttributeValue>;
    };
    return (input.Item ?? input.Key)?.executionId?.S;
  });

const byTeam = (namePrefix?: string) =>
  guardConfig({ pipelines: [{ name: 'leadout', devAlarms: { namePrefix, tags: { team: 'maps' } } }] });

describe('alarm gate, every alarm shape', () => {
  it.each<[FixtureName, string, GuardConfig]>([
    ['cloudwatch/alarm-metric-ok-to-alarm', 'leadout-dev-api-5xx', guardConfig()],
    ['cloudwatch/alarm-metric-math-insufficient-to-alarm', 'leadout-dev-5xx-share', byTeam('leadout-dev-')],
    ['cloudwatch/alarm-anomaly-ok-to-alarm-muted', 'leadout-dev-latency-band', byTeam()],
    ['cloudwatch/alarm-composite-ok-to-alarm', 'leadout-dev-api-health', guardConfig()],
    ['cloudwatch/alarm-metrics-insights-ok-to-alarm', 'leadout-dev-route-errors', byTeam('leadout-dev-')],
    ['cloudwatch/alarm-contributor-ok-to-alarm', 'leadout-dev-route-errors', guardConfig()],
  ])(
    '%s closes Prod with the guard reason and rejects the waiting approval',
    async (fixture, alarmName, config) => {
      // Prepare
      const { invoke } = prepare(config);
      const event = loadEvent(fixture);

      // Act
      await invoke(event);

      // Assess: at most 2 reads and 2 writes, + the waiting approval's restore record (read, none)
      expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
      const reason = codePipeline.commandCalls(DisableStageTransitionCommand)[0]!.args[0].input.reason!;
      expect(reason).toMatch(
        new RegExp(`^release-guard \\(dev alarm ${alarmName} in ALARM since 2026-05-12 09\\.40 UTC\\)$`),
      );
      expect(reason).toMatch(REASON_CHARS);
      expect(codePipeline).toHaveReceivedCommandWith(DisableStageTransitionCommand, {
        pipelineName: 'leadout',
        stageName: 'Prod',
        transitionType: 'Inbound',
      });
      expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
        token: TOKEN,
        result: { status: 'Rejected', summary: expect.stringContaining(reason) as string },
      });
      const reads = codePipeline.commandCalls(GetPipelineStateCommand).length + cloudWatch.calls().length;
      // One read of Prod, sent with the journal's intent; DisableStageTransition uses it (no re-read).
      expect(reads).toBeLessThanOrEqual(2);
      // Prod is closed before the restore record is read: the ledger first sees the journal's intent, then the
      // reject effect's read (is the waiting approval the guard's own restore?) under its partition and the
      // legacy one, then the journal again.
      const [intent, first, legacy, ...rest] = ledgerKeys();
      expect(intent).toMatch(new RegExp(`^announce#leadout block ${alarmName} `));
      expect([first, legacy]).toEqual([`restore#${E}`, `restore#${E}`]);
      const announcing = [intent, ...rest];
      expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
        Key: { pipeline: { S: 'restore#leadout' }, executionId: { S: `restore#${E}` } },
      });
      expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
        Key: { pipeline: { S: 'leadout' }, executionId: { S: `restore#${E}` } },
      });
      expect(announcing.length).toBeGreaterThan(0);
      for (const key of announcing) expect(key).toMatch(new RegExp(`^announce#leadout block ${alarmName} `));
      // The common case (no tag lookup): 1 pipeline read in all.
      if (cloudWatch.calls().length === 0) expect(reads).toBe(1);
      expect(emitted(eventBridge)).toEqual([
        {
          source: 'leadout.release-guard',
          detailType: 'PromotionBlocked',
          detail: expect.objectContaining({
            pipeline: 'leadout',
            mode: 'enforce',
            trigger: 'alarm-event',
            transitionReason: reason,
            rejectedExecutionId: E,
            alarms: [expect.objectContaining({ name: alarmName, state: 'ALARM', arn: arn(alarmName) })],
          }) as unknown,
        },
      ]);
    },
  );

  it('names the contributor of a Metrics Insights alarm in the announced alarm reason', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-contributor-ok-to-alarm'));

    // Assess
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      alarms: [
        {
          name: 'leadout-dev-route-errors',
          reason: expect.stringMatching(/^contributor 6f1d8a2c9b3e4f70: /) as string,
        },
      ],
    });
  });

  it('uses the alarm tags of the event, and looks them up (once) when they are absent', async () => {
    // Prepare
    const { invoke } = prepare(byTeam());
    codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: false, reason: GUARD_REASON }));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-math-insufficient-to-alarm'));
    await invoke(loadEvent('cloudwatch/alarm-anomaly-ok-to-alarm-muted'));
    await invoke(loadEvent('cloudwatch/alarm-anomaly-ok-to-alarm-muted'));

    // Assess
    expect(cloudWatch).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 1);
    expect(cloudWatch).toHaveReceivedCommandWith(ListTagsForResourceCommand, {
      ResourceARN: arn('leadout-dev-latency-band'),
    });
  });

  it('ignores an alarm of another team without reading the pipeline', async () => {
    // Prepare
    const { invoke } = prepare(byTeam());
    const event = loadEvent('cloudwatch/alarm-metric-math-insufficient-to-alarm');
    event.detail.alarmTags = { team: 'batch' };

    // Act
    await invoke(event);

    // Assess
    expectNoAwsCall(mocks);
  });

  it('drops an event without a state, logging its id', async () => {
    // Prepare
    const log = prepare();
    const event = loadEvent('malformed/alarm-state-change-missing-state');

    // Act
    await log.invoke(event);

    // Assess
    expectDroppedInvalid(event, log.log, mocks);
  });
});

describe('alarm gate, repeated and foreign', () => {
  it('PutEvents fails after the block: the retry changes nothing and announces PromotionBlocked once', async () => {
    // Prepare: the first attempt closes Prod, rejects E, records the outcome; then PutEvents rejects it.
    const table = ledgerTable(dynamo);
    failPutEventsOnce(eventBridge);
    const { invoke } = prepare();
    await expect(invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'))).rejects.toThrow();
    const key = `leadout block leadout-dev-api-5xx ${AT_ALARM}`;
    expect(journalOf(table, 'gate', 'leadout', key).state).toBe('acted');
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));

    // Act: Lambda retries the alarm event (a minute later: the lease is over); Prod is closed, nothing waits.
    const { invoke: retry } = prepare(guardConfig(), new Date(NOW.getTime() + 60_000));
    await retry(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess: one close, one rejection, and the stored PromotionBlocked went out again under its key.
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    const [failed, retried] = emitted(eventBridge);
    expect(emitted(eventBridge)).toHaveLength(2);
    expect(retried).toEqual(failed);
    expect(retried?.detail).toMatchObject({ decisionKey: key, rejectedExecutionId: E });
    expect(journalOf(table, 'gate', 'leadout', key).state).toBe('announced');
  });

  it('DisableStageTransition is refused: still rejects the waiting approval, and says Prod is NOT closed', async () => {
    // Prepare
    const table = ledgerTable(dynamo);
    codePipeline
      .on(DisableStageTransitionCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $fault: 'client' }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess: the approval is rejected all the same; one GuardFailed lists both effects and names the call.
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    const [announced] = emitted(eventBridge);
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(announced).toMatchObject({
      detailType: 'GuardFailed',
      detail: {
        reaction: 'alarm-gate',
        call: 'codepipeline.DisableStageTransition',
        error: { name: 'AccessDeniedException' },
        effects: [
          { effect: 'disable-transition', outcome: 'failed' },
          { effect: 'reject-waiting', outcome: 'done' },
        ],
      },
    });
    expect(String((announced?.detail as { consequence?: string }).consequence)).toMatch(/NOT closed/);
    expect(journalOf(table, 'gate', 'leadout', `leadout block leadout-dev-api-5xx ${AT_ALARM}`).state).toBe(
      'announced',
    );
  });

  it('changes nothing on a repeated ALARM while the guard holds Prod', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(GetPipelineStateCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(DisableStageTransitionCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('keeps a person’s reason when Prod is already closed, and still rejects the waiting approval', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: 'Release freeze' }));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-composite-ok-to-alarm'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(DisableStageTransitionCommand);
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      transitionReason: 'Release freeze',
      alreadyDisabledBy: 'arn:aws:sts::444455556666:assumed-role/ana/ana',
    });
  });

  it('closes Prod with the view read alongside the intent: one GetPipelineState, then DisableStageTransition', async () => {
    // Prepare: a second read would see ana's freeze; there is none (the read is as fresh as a re-read would be).
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolvesOnce(prodState({ enabled: true }))
      .resolves(prodState({ enabled: false, reason: 'Release freeze' }));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-composite-ok-to-alarm'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(GetPipelineStateCommand, 1);
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
  });

  it('a person closes Prod between a failed attempt and its retry: their reason is kept, the approval still rejected', async () => {
    // Prepare: the first attempt reads Prod open and its DisableStageTransition is throttled; by the retry, ana
    // has closed Prod. The retry carries the recorded block on and looks before writing.
    ledgerTable(dynamo);
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolvesOnce(prodState({ enabled: true }))
      .resolves(prodState({ enabled: false, reason: 'Release freeze' }));
    codePipeline
      .on(DisableStageTransitionCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client' }));
    const event = loadEvent('cloudwatch/alarm-composite-ok-to-alarm');

    // Act
    await expect(invoke(event)).rejects.toThrow(/retried/);
    await invoke(event);

    // Assess: the throttled close was the only one; the retry found ana's close and kept it
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    const [blocked] = emitted(eventBridge);
    expect(blocked?.detailType).toBe('PromotionBlocked');
    expect(JSON.stringify(blocked?.detail)).toContain(
      'already closed by arn:aws:sts::444455556666:assumed-role/ana/ana',
    );
  });
});

describe('alarm gate, the guard’s own restore at the gate (Dev alarms do not block it)', () => {
  const restoreOf = (failedStage: string) => ({
    Item: marshall({
      pipeline: 'restore#leadout',
      executionId: `restore#${E}`,
      failedExecutionId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
      targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
      path: 'rollback-stage',
      failedStage,
    }),
  });

  it('closes Prod but leaves the approval of a restore of a Prod failure waiting for promote', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves(restoreOf('Prod'));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess: 2 reads, 1 write
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('rejectedExecutionId');
  });

  it('closes Prod before it reads the restore record: a ledger that refuses the read still gets Prod closed', async () => {
    // Prepare: the restore record cannot be read (access denied), only the journal's own items can.
    dynamo
      .on(GetItemCommand, { Key: { pipeline: { S: 'restore#leadout' }, executionId: { S: `restore#${E}` } } })
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $fault: 'client' }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess: Prod closed; the approval, which may be the guard's restore, is not rejected; the block is announced
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    const [announced] = emitted(eventBridge);
    expect(announced?.detailType).toBe('PromotionBlocked');
    expect(announced?.detail).not.toHaveProperty('rejectedExecutionId');
    expect(announced?.detail).toMatchObject({
      effects: [
        { effect: 'disable-transition', outcome: 'done' },
        { effect: 'reject-waiting', outcome: 'failed', error: { name: 'AccessDeniedException' } },
      ],
    });
  });

  it('rejects a restore of a Dev failure as any other release', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves(restoreOf('Dev'));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
  });

  it('reads no record when no approval waits', async () => {
    // Prepare
    codePipeline.on(GetPipelineStateCommand).resolves(prodState({ enabled: true }, false));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 1);
    expect(ledgerKeys().filter((key) => key?.startsWith('restore#'))).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommand(GetItemCommand);
  });
});

describe('alarm gate, recovery', () => {
  it('reopens Prod when every selected alarm is OK and the reason is the guard’s', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-alarm-to-ok'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandWith(EnableStageTransitionCommand, {
      pipelineName: 'leadout',
      stageName: 'Prod',
      transitionType: 'Inbound',
    });
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionUnblocked',
      detail: {
        outcome: 'enabled',
        blockedSince: '2026-05-12T09:40:00.000Z',
        alarmsChecked: ['leadout-dev-api-5xx'],
      },
    });
  });

  it('a tag selector re-reads the selection with GetResources: another team’s ALARM keeps nothing closed, its own does', async () => {
    // Prepare: leadout-dev-api-5xx (maps) recovered; leadout-dev-batch-errors is in ALARM
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolves(alarmsNow({ 'leadout-dev-api-5xx': 'OK', 'leadout-dev-batch-errors': 'ALARM' }));
    const tagged = (team: string) => ({
      ResourceTagMappingList: [
        { ResourceARN: arn('leadout-dev-api-5xx'), Tags: [{ Key: 'team', Value: 'maps' }] },
        { ResourceARN: arn('leadout-dev-batch-errors'), Tags: [{ Key: 'team', Value: team }] },
      ],
      PaginationToken: '',
    });
    const event = loadEvent('cloudwatch/alarm-metric-alarm-to-ok');
    event.detail.alarmTags = { team: 'maps' };
    tagging.on(GetResourcesCommand).resolvesOnce(tagged('maps')).resolvesOnce(tagged('batch'));
    const { invoke } = prepare(byTeam('leadout-dev-'));

    // Act: first the batch alarm also carries team=maps (selected, in ALARM), then it does not
    await invoke(event);
    const keptClosed = codePipeline.commandCalls(EnableStageTransitionCommand).length;
    await invoke({ ...event, id: 'c0ffee00-0000-4000-8000-000000000002' });

    // Assess
    expect(keptClosed).toBe(0);
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 2);
    expect(tagging).toHaveReceivedCommandWith(GetResourcesCommand, {
      ResourceTypeFilters: ['cloudwatch:alarm'],
      TagFilters: [{ Key: 'team', Values: ['maps'] }],
    });
    expect(codePipeline).toHaveReceivedCommandTimes(EnableStageTransitionCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ alarmsChecked: ['leadout-dev-api-5xx'] });
  });

  it('keeps Prod closed while DescribeAlarms says a selected alarm is in ALARM (an OK out of order)', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: GUARD_REASON }, false));
    cloudWatch.on(DescribeAlarmsCommand).resolves(alarmsNow({ 'leadout-dev-api-5xx': 'ALARM' }));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-alarm-to-ok'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('never reopens a transition a person closed: says so once', async () => {
    // Prepare
    const { invoke } = prepare();
    codePipeline
      .on(GetPipelineStateCommand)
      .resolves(prodState({ enabled: false, reason: 'Release freeze' }, false));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-alarm-to-ok'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionUnblocked',
      detail: { outcome: 'left-disabled', transitionReason: 'Release freeze' },
    });
  });
});

describe('alarm gate, observe mode', () => {
  it('announces the block it would have made, with no write to the pipeline', async () => {
    // Prepare
    const { invoke } = prepare(guardConfig({ mode: 'observe' }));

    // Act
    await invoke(loadEvent('cloudwatch/alarm-metric-ok-to-alarm'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(DisableStageTransitionCommand);
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(emitted(eventBridge)).toHaveLength(1);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'PromotionBlocked',
      detail: { mode: 'observe', transitionReason: GUARD_REASON, rejectedExecutionId: E },
    });
  });
});
