import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { awsClient } from '../../lib/aws/clients';
import { makeHistory } from '../../lib/aws/history';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  config,
  history: makeHistory(awsClient(DynamoDBClient, 'dynamodb'), deployment.ledgerTable),
  logger,
});
