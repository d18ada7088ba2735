import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { publishWith } from './publish';

export const handler = makeHandler({
  publish: publishWith(new Metrics({ namespace: 'LeadOut/ReleaseGuard', serviceName: 'release-guard' })),
  logger,
});
