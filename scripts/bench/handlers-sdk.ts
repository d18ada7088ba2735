/**
 * Whole-handler latency of promote and the alarm gate with the REAL SDK clients (serialization, signing, retry
 * middleware, deserialization) over an in-memory HTTP handler: each request is answered by its operation
 * (`X-Amz-Target`) with a body of the shape AWS sends (status 200, awsJson1_0 for DynamoDB and — in the SDK version
 * package-lock pins — CloudWatch, awsJson1_1 for CodePipeline and EventBridge; timestamps as epoch seconds). The
 * answers are the handler tests' (test/handlers/promote.test.ts, alarm-gate.test.ts): promote approves E after its
 * bake, the alarm gate closes Prod and rejects the waiting approval, every iteration (checked: a run whose writes
 * are not one per iteration throws). The wiring is handler.ts's, with these clients. No network.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import { HttpResponse } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/types';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parseGuardConfig } from '../../config/schema';
import { guardRestoreOf } from '../../handlers/alarm-gate/guard-restore';
import { makeHandler as makeAlarmGate } from '../../handlers/alarm-gate/make-handler';
import { makeHandler as makePromote } from '../../handlers/promote/make-handler';
import { actorOver } from '../../lib/act/act';
import { clientSettings } from '../../lib/aws/client-settings';
import { awsClient, type ClientSettings } from '../../lib/aws/clients';
import type { TaggingSender } from '../../lib/aws/alarm-tags';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeFreeze } from '../../lib/aws/freeze';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeHolds, makeOverrides } from '../../lib/aws/holds';
import { makeLedger } from '../../lib/aws/ledger';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { ssmClient } from '../../lib/aws/ssm';
import { gateExecutors } from '../../lib/effects/gate';
import type { GuardLogger } from '../../lib/reaction';

const ROOT = resolve(import.meta.dirname, '../..');
const TABLE = 'leadout-release-guard-bench-ledger';
const BUS = 'leadout-release-guard-bench';
const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';
const AFTER_BAKE = new Date('2026-05-12T10:14:29.000Z');
const epoch = (iso: string) => Date.parse(iso) / 1000;

type Answer = (operation: string, input: Record<string, unknown>) => unknown;
export type Counted = Map<string, number>;

/** A requestHandler answering each operation in memory; it counts `<service>.<operation>`. */
function memoryHandler(service: string, jsonVersion: '1.0' | '1.1', answer: Answer, counted: Counted) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest) {
      const target = String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '');
      const operation = target.slice(target.lastIndexOf('.') + 1);
      counted.set(`${service}.${operation}`, (counted.get(`${service}.${operation}`) ?? 0) + 1);
      const raw: unknown = request.body;
      const text = raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw ?? '{}');
      const input = JSON.parse(text === '' ? '{}' : text) as Record<string, unknown>;
      const body = Buffer.from(JSON.stringify(answer(operation, input) ?? {}));
      return {
        response: new HttpResponse({
          statusCode: 200,
          headers: {
            'content-type': `application/x-amz-json-${jsonVersion}`,
            'content-length': String(body.length),
            'x-amzn-requestid': 'bench',
          },
          body,
        }),
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}

/** The real clients, as awsClient builds them in handler.ts, over the in-memory handler. */
function clients(counted: Counted, prod: { enabled: boolean }) {
  const settings = (handler: ReturnType<typeof memoryHandler>) =>
    ({
      ...clientSettings(),
      region: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' }),
      requestHandler: handler,
    }) as unknown as ClientSettings;
  const codepipeline = awsClient(
    CodePipelineClient,
    'codepipeline',
    settings(memoryHandler('codepipeline', '1.1', codePipelineAnswer(prod), counted)),
  );
  const cloudwatch = awsClient(
    CloudWatchClient,
    'cloudwatch',
    settings(memoryHandler('cloudwatch', '1.0', cloudWatchAnswer, counted)),
  );
  const dynamo = awsClient(
    DynamoDBClient,
    'dynamodb',
    settings(memoryHandler('dynamodb', '1.0', dynamoAnswer, counted)),
  );
  const events = awsClient(
    EventBridgeClient,
    'eventbridge',
    settings(memoryHandler('eventbridge', '1.1', eventBridgeAnswer, counted)),
  );
  return { codepipeline, cloudwatch, dynamo, events };
}

const codePipelineAnswer =
  (prod: { enabled: boolean }): Answer =>
  (operation) => {
    switch (operation) {
      case 'GetPipelineState':
        return {
          pipelineName: 'leadout',
          pipelineVersion: 3,
          stageStates: [
            {
              stageName: 'Dev',
              latestExecution: { pipelineExecutionId: E, status: 'Succeeded' },
              actionStates: [{ actionName: 'DeployDev', latestExecution: { status: 'Succeeded' } }],
            },
            {
              stageName: 'Prod',
              inboundTransitionState: {
                enabled: prod.enabled,
                lastChangedBy: 'arn:aws:sts::444455556666:assumed-role/ana/ana',
                lastChangedAt: epoch('2026-05-12T09:20:00.000Z'),
              },
              inboundExecutions: [],
              latestExecution: { pipelineExecutionId: E, status: 'InProgress' },
              actionStates: [
                {
                  actionName: 'BakeGate',
                  latestExecution: {
                    actionExecutionId: '7af3dca5-bbfc-4429-a1d8-688f70c427f4',
                    status: 'InProgress',
                    lastStatusChange: epoch('2026-05-12T09:15:03.000Z'),
                    token: TOKEN,
                  },
                },
                { actionName: 'DeployTileApi' },
              ],
            },
          ],
          created: epoch('2025-11-03T12:00:00.000Z'),
          updated: epoch('2026-04-28T08:30:00.000Z'),
        };
      case 'GetPipelineExecution':
        return {
          pipelineExecution: { pipelineExecutionId: E, status: 'InProgress', executionType: 'STANDARD' },
        };
      case 'PutApprovalResult':
        return { approvedAt: AFTER_BAKE.getTime() / 1000 };
      default:
        return {};
    }
  };

const cloudWatchAnswer: Answer = (operation) => {
  switch (operation) {
    case 'DescribeAlarms':
      return {
        MetricAlarms: [
          {
            AlarmName: 'leadout-dev-api-5xx',
            AlarmArn: 'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:leadout-dev-api-5xx',
            StateValue: 'OK',
            StateReason: 'Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (5.0).',
            StateUpdatedTimestamp: epoch('2026-05-12T09:51:00.000Z'),
          },
        ],
        CompositeAlarms: [],
      };
    case 'DescribeAlarmHistory':
      return { AlarmHistoryItems: [] };
    case 'ListTagsForResource':
      return { Tags: [] };
    default:
      return {};
  }
};

/** bake-start's release record of E; no other record exists (every write succeeds, every iteration is the first). */
const RELEASE = marshall({
  pipeline: 'release#leadout',
  executionId: E,
  devSucceededAt: '2026-05-12T09:14:27.000Z',
  bakeEndsAt: '2026-05-12T10:14:27.000Z',
  commitId: COMMIT,
  commitMessage: 'Render tile labels with the new font stack',
  expiresAt: 1_781_169_267,
});

const dynamoAnswer: Answer = (operation, input) => {
  switch (operation) {
    case 'GetItem': {
      const key = input.Key as { pipeline?: { S?: string }; executionId?: { S?: string } } | undefined;
      return key?.pipeline?.S === 'release#leadout' && key.executionId?.S === E ? { Item: RELEASE } : {};
    }
    case 'Query':
      return { Items: [], Count: 0, ScannedCount: 0 };
    default:
      return {};
  }
};

const eventBridgeAnswer: Answer = (operation, input) =>
  operation === 'PutEvents'
    ? {
        FailedEntryCount: 0,
        Entries: ((input.Entries as unknown[] | undefined) ?? []).map(() => ({ EventId: randomUUID() })),
      }
    : {};

const quiet: GuardLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setCorrelationId: () => undefined,
};

const CONTEXT = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'leadout-release-guard-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:leadout-release-guard-bench',
  memoryLimitInMB: '256',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const CONFIG = parseGuardConfig({
  mode: 'enforce',
  slackWebhookParameter: '/leadout/release-guard/slack-webhook',
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
});

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

type Invoke = (event: unknown, context: typeof CONTEXT) => Promise<unknown>;

/** The bench's selector is a name prefix: the Resource Groups Tagging API is never asked (and would fail loudly). */
const noTagging: TaggingSender = {
  send: () => Promise.reject(new Error('the bench selects alarms by name prefix: no GetResources')),
};

function promote(counted: Counted): Invoke {
  const aws = clients(counted, { enabled: true });
  const codepipeline = makeCodePipelineGateway(aws.codepipeline);
  const bus = makeGuardBus(aws.events, BUS);
  const now = () => AFTER_BAKE;
  const executors = gateExecutors({ codepipeline, transitions: makeProdTransition(aws.codepipeline) });
  return makePromote({
    config: CONFIG,
    codepipeline,
    alarms: makeAlarmReader(aws.cloudwatch, noTagging, { concurrency: CONFIG.alarmReadConcurrency }),
    ledger: makeLedger(aws.dynamo, TABLE),
    restores: makeRollbackLedger(aws.dynamo, TABLE),
    holds: makeHolds(aws.dynamo, TABLE),
    overrides: makeOverrides(aws.dynamo, TABLE),
    freeze: makeFreeze(CONFIG, ssmClient({ region: 'eu-west-1' })),
    actor: actorOver('promote', aws.dynamo, TABLE, bus, executors, quiet, now),
    logger: quiet,
    now,
    sleep: async () => undefined,
  }) as unknown as Invoke;
}

function alarmGate(counted: Counted): Invoke {
  const aws = clients(counted, { enabled: true });
  const codepipeline = makeCodePipelineGateway(aws.codepipeline);
  const transitions = makeProdTransition(aws.codepipeline);
  const bus = makeGuardBus(aws.events, BUS);
  const restores = makeRollbackLedger(aws.dynamo, TABLE);
  const now = () => new Date('2026-05-12T09:40:14.000Z');
  return makeAlarmGate({
    config: CONFIG,
    transitions,
    alarms: makeAlarmReader(aws.cloudwatch, noTagging, { concurrency: CONFIG.alarmReadConcurrency }),
    actor: actorOver(
      'gate',
      aws.dynamo,
      TABLE,
      bus,
      gateExecutors({ codepipeline, transitions, guardRestore: guardRestoreOf(restores) }),
      quiet,
      now,
    ),
    restores,
    logger: quiet,
    now,
  }) as unknown as Invoke;
}

export type HandlerLatency = {
  name: string;
  iterations: number;
  p50Ms: number;
  p99Ms: number;
  /** AWS calls per invocation, by `<service>.<operation>`. */
  callsPerInvocation: Record<string, number>;
};

const CASES = [
  {
    name: 'promote (bake over, approve)',
    build: promote,
    event: 'guard/bake-timer-fired',
    write: 'codepipeline.PutApprovalResult',
  },
  {
    name: 'alarmGate (ALARM, close Prod)',
    build: alarmGate,
    event: 'cloudwatch/alarm-metric-ok-to-alarm',
    write: 'codepipeline.DisableStageTransition',
  },
];

/** Runs each handler `iterations` times (after a warm-up of a tenth, at least 5) and reports p50 / p99. */
export async function handlerLatencies(iterations: number): Promise<HandlerLatency[]> {
  const results: HandlerLatency[] = [];
  for (const c of CASES) {
    const counted: Counted = new Map();
    const invoke = c.build(counted);
    const event = fixture(c.event);
    const warmup = Math.max(5, Math.floor(iterations / 10));
    const times: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const fresh = { ...structuredClone(event), id: randomUUID() };
      const start = process.hrtime.bigint();
      await invoke(fresh, CONTEXT);
      if (i >= warmup) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const total = warmup + iterations;
    if (counted.get(c.write) !== total) {
      throw new Error(`${c.name}: ${c.write} ${counted.get(c.write) ?? 0} times in ${total} invocations`);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
    results.push({
      name: c.name,
      iterations,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      callsPerInvocation: Object.fromEntries([...counted].map(([k, n]) => [k, n / total])),
    });
  }
  return results;
}
