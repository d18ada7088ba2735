import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { makeTileTimers } from '../../lib/aws/tile-timers';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  config,
  tiles: makeTileLedger(new DynamoDBClient(), deployment.ledgerTable),
  timers: makeTileTimers(new SchedulerClient(), deployment),
  bus: makeGuardBus(new EventBridgeClient(), deployment.busName),
  logger,
});
