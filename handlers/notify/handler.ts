import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout } from 'node:timers/promises';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeNotificationLedger } from '../../lib/aws/notification-ledger';
import { ssmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { logger } from '../../lib/logger';
import { makeSlackPoster } from '../../lib/slack-webhook';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';

const { config, deployment } = runtimeFromProcessEnv();

/** Longer than the function's timeout (infra/notify.yml), so a live attempt is never overtaken. */
const LEASE_MS = 90_000;
/** A rotated webhook is picked up within five minutes, or at once when Slack refuses the old one. */
const WEBHOOK_MAX_AGE_MS = 5 * 60_000;

export const handler = makeHandler({
  ledger: makeNotificationLedger(awsClient(DynamoDBClient, 'dynamodb'), deployment.ledgerTable, {
    leaseMs: LEASE_MS,
    now: Date.now,
  }),
  slack: makeSlackPoster({
    url: makeSecureParameter(ssmClient(), config.slackWebhookParameter, {
      maxAgeMs: WEBHOOK_MAX_AGE_MS,
      now: Date.now,
    }),
    sleep: (ms) => setTimeout(ms),
  }),
  logger,
  controls: config.slack !== undefined,
  ...(deployment.dashboardName ? { dashboardName: deployment.dashboardName } : {}),
});
