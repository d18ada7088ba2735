import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { makeTileTimers } from '../../lib/aws/tile-timers';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';
import { schedulerClient } from '../../lib/aws/scheduler-client';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);

export const handler = makeHandler({
  config,
  tiles: makeTileLedger(dynamo, deployment.ledgerTable),
  timers: makeTileTimers(schedulerClient(), deployment),
  outbox: makeOutbox('tile-follow', dynamo, deployment.ledgerTable, bus),
  logger,
});
