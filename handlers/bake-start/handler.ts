import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { actorOver } from '../../lib/act/act';
import { bakeExecutors } from '../../lib/effects/bake';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { makeBakeTimers } from '../../lib/aws/scheduler';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';
import { schedulerClient } from '../../lib/aws/scheduler-client';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');

const now = () => new Date();
const executors = bakeExecutors({
  ledger: makeLedger(dynamo, deployment.ledgerTable),
  timers: makeBakeTimers(schedulerClient(), deployment),
});

export const handler = makeHandler({
  config,
  codepipeline: makeCodePipelineGateway(awsClient(CodePipelineClient, 'codepipeline')),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  actor: actorOver(
    'bake-start',
    dynamo,
    deployment.ledgerTable,
    makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName),
    executors,
    logger,
    now,
  ),
  logger,
  now,
});
