import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { actorOver } from '../../lib/act/act';
import { restoreExecutors } from '../../lib/effects/restore';
import { makeRollbackPipeline } from '../../lib/aws/rollback-codepipeline';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);

const codepipeline = makeRollbackPipeline(awsClient(CodePipelineClient, 'codepipeline'));
const ledger = makeRollbackLedger(dynamo, deployment.ledgerTable);
const now = () => new Date();

export const handler = makeHandler({
  config,
  codepipeline,
  ledger,
  actor: actorOver(
    'rollback',
    dynamo,
    deployment.ledgerTable,
    bus,
    restoreExecutors({ codepipeline, ledger, now }),
    logger,
    now,
  ),
  logger,
  now,
});
