import { Logger } from '@aws-lambda-powertools/logger';

/** One logger for the whole guard; handlers set the EventBridge event id as the correlation id. */
export const logger = new Logger({ serviceName: 'release-guard' });
