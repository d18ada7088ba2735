import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { makeBakeTimers } from '../../lib/aws/scheduler';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();

export const handler = makeHandler({
  config,
  codepipeline: makeCodePipelineGateway(new CodePipelineClient()),
  ledger: makeLedger(dynamo, deployment.ledgerTable),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  timers: makeBakeTimers(new SchedulerClient(), deployment),
  outbox: makeOutbox(
    dynamo,
    deployment.ledgerTable,
    makeGuardBus(new EventBridgeClient(), deployment.busName),
  ),
  logger,
  now: () => new Date(),
});
