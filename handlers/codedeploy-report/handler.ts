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
import { awsClient } from '../../lib/aws/clients';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);

export const handler = makeHandler({
  config,
  codedeploy: makeCodeDeployReader(awsClient(CodeDeployClient, 'codedeploy')),
  ledger: makeRollbackLedger(dynamo, deployment.ledgerTable),
  bus,
  outbox: makeOutbox('codedeploy-report', dynamo, deployment.ledgerTable, bus),
  logger,
  now: () => new Date(),
});
