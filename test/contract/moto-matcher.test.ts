/**
 * Contract: our EventBridge pattern matcher (simulator/event-pattern.ts) and moto's EventBridge (real PutRule /
 * PutEvents delivering to SQS) agree on patterns and events shaped like the CodePipeline and CloudWatch events
 * the Release Guard routes. Every row also states the expected outcome, so an agreement on "nothing matches"
 * (a broken harness) cannot pass.
 *
 * Left out of the cross-check because moto 5.2.1 differs from documented EventBridge behaviour there (our matcher
 * follows EventBridge; see test/simulator/event-pattern.test.ts):
 * - `time` patterns: moto matches against PutEvents `Time` as epoch seconds (a number), not the ISO string.
 * - nested patterns over arrays of objects (e.g. CloudWatch `detail.configuration.metrics`): moto never matches.
 * - nested arrays in the event (`[["a"], ["b"]]`): moto does not flatten them.
 * - `exists` on an empty array or empty object: moto counts them as existing values; EventBridge only sees leaves.
 * - booleans against numbers: moto uses Python equality, so `[1]` and `numeric` match `true`.
 * - `id`, `account`, `region`, `version`: PutEvents cannot set them (checkPatternOnMoto rejects such patterns).
 */
import { DescribeEventBusCommand, EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, inject, it } from 'vitest';

import { matchesPattern, type EventPattern } from '../../simulator/event-pattern';
import { checkPatternOnMoto, motoClientConfig, type ProbeEvent } from '../support/moto';

const endpoint = inject('motoEndpoint');

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

function pipelineArn(pipeline: string): string {
  return `arn:aws:codepipeline:${REGION}:${ACCOUNT}:${pipeline}`;
}

function stageChange(detail: Record<string, unknown>): ProbeEvent {
  const pipeline = typeof detail.pipeline === 'string' ? detail.pipeline : 'leadout-web';
  return {
    source: 'aws.codepipeline',
    'detail-type': 'CodePipeline Stage Execution State Change',
    resources: [pipelineArn(pipeline)],
    time: '2026-03-14T09:26:53Z',
    detail: {
      pipeline,
      'execution-id': '0f4d2a77-5b1c-4e2e-9a51-7d3b2c1e0a11',
      stage: 'Prod',
      state: 'SUCCEEDED',
      version: 7,
      ...detail,
    },
  };
}

function actionChange(detail: Record<string, unknown>): ProbeEvent {
  return {
    source: 'aws.codepipeline',
    'detail-type': 'CodePipeline Action Execution State Change',
    resources: [pipelineArn('leadout-web')],
    time: '2026-03-14T09:20:11Z',
    detail: {
      pipeline: 'leadout-web',
      'execution-id': '0f4d2a77-5b1c-4e2e-9a51-7d3b2c1e0a11',
      stage: 'Prod',
      action: 'ApproveRelease',
      state: 'STARTED',
      region: REGION,
      type: { owner: 'AWS', category: 'Approval', provider: 'Manual', version: '1' },
      version: 7,
      ...detail,
    },
  };
}

function pipelineChange(detail: Record<string, unknown>): ProbeEvent {
  return {
    source: 'aws.codepipeline',
    'detail-type': 'CodePipeline Pipeline Execution State Change',
    resources: [pipelineArn('leadout-web')],
    time: '2026-03-14T09:00:02Z',
    detail: {
      pipeline: 'leadout-web',
      'execution-id': '0f4d2a77-5b1c-4e2e-9a51-7d3b2c1e0a11',
      state: 'STARTED',
      version: 7,
      ...detail,
    },
  };
}

function alarmChange(alarmName: string, value: string, previous: string): ProbeEvent {
  return {
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmName}`],
    time: '2026-03-14T09:31:00Z',
    detail: {
      alarmName,
      state: {
        value,
        reason: 'Threshold Crossed: 2 out of the last 3 datapoints',
        timestamp: '2026-03-14T09:31:00.000+0000',
      },
      previousState: {
        value: previous,
        reason: 'Threshold Crossed',
        timestamp: '2026-03-14T09:20:00.000+0000',
      },
      configuration: { description: `guard alarm ${alarmName}` },
    },
  };
}

interface ContractCase {
  name: string;
  pattern: EventPattern;
  events: [event: ProbeEvent, expected: boolean][];
}

const cases: ContractCase[] = [
  {
    name: 'exact values on source, detail-type and nested detail',
    pattern: {
      source: ['aws.codepipeline'],
      'detail-type': ['CodePipeline Stage Execution State Change'],
      detail: { pipeline: ['leadout-web'], stage: ['Prod'], state: ['SUCCEEDED'] },
    },
    events: [
      [stageChange({}), true],
      [stageChange({ state: 'FAILED' }), false],
      [stageChange({ stage: 'Dev' }), false],
      [stageChange({ pipeline: 'leadout-api' }), false],
      [pipelineChange({ state: 'SUCCEEDED' }), false],
    ],
  },
  {
    name: 'several values for one field (OR)',
    pattern: { detail: { state: ['FAILED', 'STOPPED', 'CANCELED'] } },
    events: [
      [stageChange({ state: 'FAILED' }), true],
      [stageChange({ state: 'CANCELED' }), true],
      [stageChange({ state: 'SUCCEEDED' }), false],
    ],
  },
  {
    name: 'numbers: numeric equality and JSON type',
    pattern: { detail: { version: [7] } },
    events: [
      [stageChange({ version: 7 }), true],
      [stageChange({ version: 7.0 }), true],
      [stageChange({ version: '7' }), false],
      [stageChange({ version: 8 }), false],
    ],
  },
  {
    name: 'numeric range',
    pattern: { detail: { version: [{ numeric: ['>', 1, '<=', 5] }] } },
    events: [
      [stageChange({ version: 1 }), false],
      [stageChange({ version: 2 }), true],
      [stageChange({ version: 5 }), true],
      [stageChange({ version: 5.5 }), false],
      [stageChange({ version: '3' }), false],
    ],
  },
  {
    name: 'prefix on resources (array in the event)',
    pattern: { resources: [{ prefix: `arn:aws:codepipeline:${REGION}:${ACCOUNT}:leadout-` }] },
    events: [
      [stageChange({ pipeline: 'leadout-web' }), true],
      [stageChange({ pipeline: 'sandbox-web' }), false],
      [{ ...stageChange({}), resources: ['arn:aws:s3:::bucket', pipelineArn('leadout-web')] }, true],
    ],
  },
  {
    name: 'prefix with equals-ignore-case',
    pattern: { detail: { pipeline: [{ prefix: { 'equals-ignore-case': 'LeadOut-' } }] } },
    events: [
      [stageChange({ pipeline: 'leadout-web' }), true],
      [stageChange({ pipeline: 'LEADOUT-api' }), true],
      [stageChange({ pipeline: 'sandbox-web' }), false],
    ],
  },
  {
    name: 'suffix on the alarm name plus nested state value',
    pattern: {
      source: ['aws.cloudwatch'],
      detail: { alarmName: [{ suffix: '-5xx' }], state: { value: ['ALARM'] } },
    },
    events: [
      [alarmChange('leadout-web-5xx', 'ALARM', 'OK'), true],
      [alarmChange('leadout-web-5xx', 'OK', 'ALARM'), false],
      [alarmChange('leadout-web-latency', 'ALARM', 'OK'), false],
      [alarmChange('leadout-web-5XX', 'ALARM', 'OK'), false],
    ],
  },
  {
    name: 'suffix with equals-ignore-case',
    pattern: { detail: { alarmName: [{ suffix: { 'equals-ignore-case': '-5XX' } }] } },
    events: [
      [alarmChange('leadout-web-5xx', 'ALARM', 'OK'), true],
      [alarmChange('leadout-web-latency', 'ALARM', 'OK'), false],
    ],
  },
  {
    name: 'anything-but a string (transition into ALARM)',
    pattern: {
      detail: { state: { value: ['ALARM'] }, previousState: { value: [{ 'anything-but': 'ALARM' }] } },
    },
    events: [
      [alarmChange('leadout-web-5xx', 'ALARM', 'OK'), true],
      [alarmChange('leadout-web-5xx', 'ALARM', 'INSUFFICIENT_DATA'), true],
      [alarmChange('leadout-web-5xx', 'ALARM', 'ALARM'), false],
    ],
  },
  {
    name: 'anything-but list and anything-but prefix',
    pattern: {
      detail: {
        stage: [{ 'anything-but': ['Source', 'Build'] }],
        pipeline: [{ 'anything-but': { prefix: 'sandbox-' } }],
      },
    },
    events: [
      [stageChange({ stage: 'Prod' }), true],
      [stageChange({ stage: 'Build' }), false],
      [stageChange({ stage: 'Prod', pipeline: 'sandbox-web' }), false],
    ],
  },
  {
    name: 'anything-but suffix, equals-ignore-case and wildcard',
    pattern: {
      detail: {
        action: [{ 'anything-but': { suffix: 'Smoke' } }],
        state: [{ 'anything-but': { 'equals-ignore-case': ['failed', 'abandoned'] } }],
        stage: [{ 'anything-but': { wildcard: 'Sandbox*' } }],
      },
    },
    events: [
      [actionChange({}), true],
      [actionChange({ action: 'RunSmoke' }), false],
      [actionChange({ state: 'FAILED' }), false],
      [actionChange({ stage: 'SandboxEU' }), false],
    ],
  },
  {
    name: 'anything-but a number does not exclude a string',
    pattern: { detail: { version: [{ 'anything-but': 7 }] } },
    events: [
      [stageChange({ version: 7 }), false],
      [stageChange({ version: 8 }), true],
      [stageChange({ version: '7' }), true],
    ],
  },
  {
    name: 'exists true and exists false',
    pattern: {
      detail: {
        'execution-trigger': { 'trigger-type': [{ exists: true }] },
        'execution-result': [{ exists: false }],
      },
    },
    events: [
      [pipelineChange({ 'execution-trigger': { 'trigger-type': 'StartPipelineExecution' } }), true],
      [pipelineChange({}), false],
      [
        pipelineChange({
          'execution-trigger': { 'trigger-type': 'Webhook' },
          'execution-result': { 'external-execution-id': 'abc' },
        }),
        true, // execution-result is an object, not a leaf: `exists: false` still matches
      ],
      [
        pipelineChange({ 'execution-trigger': { 'trigger-type': 'Webhook' }, 'execution-result': 'x' }),
        false,
      ],
    ],
  },
  {
    name: 'equals-ignore-case',
    pattern: { detail: { state: [{ 'equals-ignore-case': 'succeeded' }] } },
    events: [
      [stageChange({ state: 'SUCCEEDED' }), true],
      [stageChange({ state: 'Succeeded' }), true],
      [stageChange({ state: 'FAILED' }), false],
    ],
  },
  {
    name: 'wildcard',
    pattern: { detail: { alarmName: [{ wildcard: 'leadout-*-5xx' }] } },
    events: [
      [alarmChange('leadout-web-5xx', 'ALARM', 'OK'), true],
      [alarmChange('leadout-api-5xx', 'ALARM', 'OK'), true],
      [alarmChange('leadout-web-5xx-p99', 'ALARM', 'OK'), false],
      [alarmChange('other-web-5xx', 'ALARM', 'OK'), false],
    ],
  },
  {
    name: '$or across sources',
    pattern: {
      $or: [
        { source: ['aws.codepipeline'], detail: { state: ['FAILED'] } },
        { source: ['aws.cloudwatch'], detail: { state: { value: ['ALARM'] } } },
      ],
    },
    events: [
      [stageChange({ state: 'FAILED' }), true],
      [alarmChange('leadout-web-5xx', 'ALARM', 'OK'), true],
      [stageChange({ state: 'SUCCEEDED' }), false],
      [alarmChange('leadout-web-5xx', 'OK', 'ALARM'), false],
    ],
  },
  {
    name: 'null and empty string are different values',
    pattern: { detail: { summary: [null] } },
    events: [
      [actionChange({ summary: null }), true],
      [actionChange({ summary: '' }), false],
      [actionChange({}), false],
    ],
  },
  {
    name: 'exact value in an event array',
    pattern: { resources: [pipelineArn('leadout-api')] },
    events: [
      [{ ...stageChange({}), resources: [pipelineArn('leadout-web'), pipelineArn('leadout-api')] }, true],
      [stageChange({}), false],
    ],
  },
];

describe('checkPatternOnMoto harness', () => {
  it('delivers a matching event and drops the others, then deletes what it created', async () => {
    const suffix = `harness-${Date.now().toString(36)}`;
    const result = await checkPatternOnMoto(
      endpoint,
      { source: ['aws.codepipeline'], detail: { state: ['FAILED'] } },
      [
        stageChange({ state: 'FAILED' }),
        stageChange({ state: 'SUCCEEDED' }),
        stageChange({ state: 'FAILED' }),
      ],
      { suffix },
    );
    expect(result).toEqual([true, false, true]);

    const eventBridge = new EventBridgeClient(motoClientConfig(endpoint));
    const sqs = new SQSClient(motoClientConfig(endpoint));
    try {
      await expect(
        eventBridge.send(new DescribeEventBusCommand({ Name: `probe-bus-${suffix}` })),
      ).rejects.toThrow();
      await expect(
        sqs.send(new GetQueueUrlCommand({ QueueName: `probe-queue-${suffix}` })),
      ).rejects.toThrow();
      const rules = await eventBridge.send(new ListRulesCommand({ NamePrefix: `probe-rule-${suffix}` }));
      expect(rules.Rules ?? []).toEqual([]);
    } finally {
      eventBridge.destroy();
      sqs.destroy();
    }
  });

  it('rejects patterns on envelope fields PutEvents cannot set', async () => {
    await expect(checkPatternOnMoto(endpoint, { account: [ACCOUNT] }, [stageChange({})])).rejects.toThrow(
      /cannot set account/,
    );
  });
});

describe.concurrent('matchesPattern agrees with moto EventBridge', () => {
  // it.for hands each concurrent test its own `expect`
  it.for(cases)('$name', async ({ pattern, events }, { expect }) => {
    const expected = events.map(([, outcome]) => outcome);
    const ours = events.map(([event]) =>
      matchesPattern(pattern, { version: '0', account: ACCOUNT, region: REGION, ...event }),
    );
    const moto = await checkPatternOnMoto(
      endpoint,
      pattern,
      events.map(([event]) => event),
    );
    expect(ours).toEqual(expected);
    expect(moto).toEqual(expected);
  });
});

describe('aws-sdk-client-mock matchers (test/setup/matchers.ts)', () => {
  it('are registered', async () => {
    const sqsMock = mockClient(SQSClient);
    try {
      sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: [] });
      await new SQSClient(motoClientConfig(endpoint)).send(new ListQueuesCommand({ QueueNamePrefix: 'x' }));
      expect(sqsMock).toHaveReceivedCommandWith(ListQueuesCommand, { QueueNamePrefix: 'x' });
    } finally {
      sqsMock.restore();
    }
  });
});
