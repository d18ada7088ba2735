import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodeDeployReader } from '../../lib/aws/codedeploy';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();
const bus = makeGuardBus(new EventBridgeClient(), deployment.busName);

export const handler = makeHandler({
  config,
  codedeploy: makeCodeDeployReader(new CodeDeployClient()),
  ledger: makeRollbackLedger(dynamo, deployment.ledgerTable),
  bus,
  outbox: makeOutbox(dynamo, deployment.ledgerTable, bus),
  logger,
  now: () => new Date(),
});
