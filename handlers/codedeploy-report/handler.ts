import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodeDeployReader } from '../../lib/aws/codedeploy';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  config,
  codedeploy: makeCodeDeployReader(new CodeDeployClient()),
  ledger: makeRollbackLedger(new DynamoDBClient(), deployment.ledgerTable),
  bus: makeGuardBus(new EventBridgeClient(), deployment.busName),
  logger,
  now: () => new Date(),
});
