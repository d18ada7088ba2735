import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeCodeDeployGateway } from '../../lib/aws/codedeploy';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();

export const handler = makeHandler({
  config,
  ecs: makeEcsGateway(new ECSClient()),
  codedeploy: makeCodeDeployGateway(new CodeDeployClient()),
  tiles: makeTileLedger(dynamo, deployment.ledgerTable),
  releases: makeLedger(dynamo, deployment.ledgerTable),
  bus: makeGuardBus(new EventBridgeClient(), deployment.busName),
  logger,
  now: () => new Date(),
});
