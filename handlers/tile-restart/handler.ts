import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodeDeployGateway } from '../../lib/aws/codedeploy';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeLedger } from '../../lib/aws/ledger';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();
const bus = makeGuardBus(new EventBridgeClient(), deployment.busName);

export const handler = makeHandler({
  config,
  ecs: makeEcsGateway(new ECSClient()),
  codedeploy: makeCodeDeployGateway(new CodeDeployClient()),
  tiles: makeTileLedger(dynamo, deployment.ledgerTable),
  releases: makeLedger(dynamo, deployment.ledgerTable),
  outbox: makeOutbox(dynamo, deployment.ledgerTable, bus),
  logger,
  now: () => new Date(),
});
