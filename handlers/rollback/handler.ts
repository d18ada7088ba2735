import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeRollbackPipeline } from '../../lib/aws/rollback-codepipeline';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  config,
  codepipeline: makeRollbackPipeline(new CodePipelineClient()),
  ledger: makeRollbackLedger(new DynamoDBClient(), deployment.ledgerTable),
  bus: makeGuardBus(new EventBridgeClient(), deployment.busName),
  logger,
  now: () => new Date(),
});
