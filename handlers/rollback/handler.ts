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

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();
const bus = makeGuardBus(new EventBridgeClient(), deployment.busName);

const codepipeline = makeRollbackPipeline(new CodePipelineClient());
const ledger = makeRollbackLedger(dynamo, deployment.ledgerTable);
const now = () => new Date();

export const handler = makeHandler({
  config,
  codepipeline,
  ledger,
  actor: actorOver(
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
