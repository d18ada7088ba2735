/**
 * The AWS side of a handler test: the SDK clients mocked once per test file (reset before each test, restored
 * after the file), and the guard's narrow AWS modules built over fresh clients, as each handler.ts builds them.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { guardRestoreOf } from '../../handlers/alarm-gate/guard-restore';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import type { JournalOwner } from '../../lib/aws/partitions';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import type { GuardLogger } from '../../lib/reaction';
import { actorOver } from '../../lib/act/act';
import type { Executors } from '../../lib/act/intent';
import { gateExecutors } from '../../lib/effects/gate';
import { fakeScheduler } from '../support/fake-scheduler';
import { deployment, lambdaContext } from './harness';

export const REGION = { region: 'eu-west-1' };

/**
 * Every SDK client the guard uses, mocked; `all` lists them for "no AWS call at all". Call it once at the top
 * of a test file: each test starts from reset mocks (a file's own `beforeEach` runs after, to set its answers).
 */
export function mockedAws() {
  const aws = {
    codePipeline: mockClient(CodePipelineClient),
    cloudWatch: mockClient(CloudWatchClient),
    tagging: mockClient(ResourceGroupsTaggingAPIClient),
    codeDeploy: mockClient(CodeDeployClient),
    dynamo: mockClient(DynamoDBClient),
    ecs: mockClient(ECSClient),
    eventBridge: mockClient(EventBridgeClient),
    // Not an SDK client any more (lib/aws/scheduler-client.ts): a fake sender, reset and checked like the mocks.
    scheduler: fakeScheduler(),
  };
  const all = Object.values(aws);
  beforeEach(() => {
    for (const mock of all) mock.reset();
  });
  afterAll(() => {
    for (const mock of all) mock.restore();
  });
  return { ...aws, all };
}

/** The Dev alarms as promote, the alarm gate and the reconciler read them: CloudWatch and the Tagging API. */
export const devAlarmReader = () =>
  makeAlarmReader(new CloudWatchClient(REGION), new ResourceGroupsTaggingAPIClient(REGION));

/** The guard's bus, as handlers publish to it. */
export const guardBus = () => makeGuardBus(new EventBridgeClient(REGION), deployment.busName);

/** The outbox in the ledger table, announcing on the guard's bus. */
export const guardOutbox = (owner: JournalOwner, dynamo = new DynamoDBClient(REGION)) =>
  makeOutbox(owner, dynamo, deployment.ledgerTable, guardBus());

export const releaseLedger = (dynamo = new DynamoDBClient(REGION)) =>
  makeLedger(dynamo, deployment.ledgerTable);

export const rollbackLedger = (dynamo = new DynamoDBClient(REGION)) =>
  makeRollbackLedger(dynamo, deployment.ledgerTable);

/** The decision journal and its actor over the mocked ledger table and bus, with a reaction's executors. */
export const guardActor = (
  owner: JournalOwner,
  executors: Executors,
  logger: GuardLogger,
  now: () => Date,
  dynamo = new DynamoDBClient(REGION),
) => actorOver(owner, dynamo, deployment.ledgerTable, guardBus(), executors, logger, now);

/** The deps of the Prod transition's two owners, the alarm gate and the reconciler (cf. gate-deps.ts). */
export function gateDeps(config: GuardConfig, logger: GuardLogger, now: Date) {
  const codePipeline = new CodePipelineClient(REGION);
  const transitions = makeProdTransition(codePipeline);
  const codepipeline = makeCodePipelineGateway(codePipeline);
  const restores = rollbackLedger();
  return {
    config,
    transitions,
    alarms: devAlarmReader(),
    ledger: releaseLedger(),
    restores,
    bus: guardBus(),
    actor: guardActor(
      'gate',
      gateExecutors({ codepipeline, transitions, guardRestore: guardRestoreOf(restores) }),
      logger,
      () => now,
    ),
    logger,
    now: () => now,
  };
}

/** Invokes a handler as Lambda does, with a real-shaped context. */
export const invoker =
  <T>(handler: (event: unknown, context: Context) => T) =>
  (event: unknown): T =>
    handler(event, lambdaContext);
