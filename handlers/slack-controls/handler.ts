import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { awsClient } from '../../lib/aws/clients';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeSignatureMarks } from '../../lib/aws/slack-marks';
import { ssmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { logger } from '../../lib/logger';
import { makeResponder } from '../../lib/slack/response-url';
import { makeUserGroups } from '../../lib/slack/web-api';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
if (!config.slack) throw new Error('slackControls is deployed only with config slack');
const slack = config.slack;
const ssm = ssmClient();
/** A rotated secret or token is picked up within five minutes. */
const SECRET_MAX_AGE_MS = 5 * 60_000;
const signingSecret = makeSecureParameter(ssm, slack.signingSecretParameter, {
  maxAgeMs: SECRET_MAX_AGE_MS,
  now: Date.now,
});
const botToken = slack.botTokenParameter
  ? makeSecureParameter(ssm, slack.botTokenParameter, { maxAgeMs: SECRET_MAX_AGE_MS, now: Date.now })
  : { read: () => Promise.reject(new Error('no botTokenParameter configured')) };
const marks = makeSignatureMarks(awsClient(DynamoDBClient, 'dynamodb'), deployment.ledgerTable);

export const handler = makeHandler({
  config,
  signingSecret: () => signingSecret.read(),
  firstUse: (signature, nowSeconds) => marks.firstUse(signature, nowSeconds),
  members: makeUserGroups({ token: botToken, maxAgeMs: 5 * 60_000, now: Date.now }),
  responseUrlPrefix: 'https://hooks.slack.com/',
  bus: makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName),
  respond: makeResponder({ timeoutMs: 1_500 }),
  logger,
  now: () => new Date(),
});
