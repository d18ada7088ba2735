import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { actorOver } from '../../lib/act/act';
import { makeCodeDeployGateway } from '../../lib/aws/codedeploy';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { tileExecutors } from '../../lib/effects/tile';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();
const bus = makeGuardBus(new EventBridgeClient(), deployment.busName);
const ecs = makeEcsGateway(new ECSClient());
const now = () => new Date();
const executors = tileExecutors({
  ecs,
  codedeploy: makeCodeDeployGateway(new CodeDeployClient()),
  tiles: makeTileLedger(dynamo, deployment.ledgerTable),
});

export const handler = makeHandler({
  config,
  ecs,
  releases: makeLedger(dynamo, deployment.ledgerTable),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  actor: actorOver(dynamo, deployment.ledgerTable, bus, executors, logger, now),
  logger,
  now,
});
