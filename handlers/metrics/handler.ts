import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeMetricClaims } from '../../lib/aws/metric-claims';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { publishWith } from './publish';

const { deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  publish: publishWith(new Metrics({ namespace: 'LeadOut/ReleaseGuard', serviceName: 'release-guard' })),
  claims: makeMetricClaims(new DynamoDBClient(), deployment.ledgerTable, () => new Date()),
  logger,
});
