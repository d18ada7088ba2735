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
import { awsClient } from '../../lib/aws/clients';
import { accountOf } from '../../lib/aws/assumed-role';
import { awsClientIn } from '../../lib/aws/clients-in-account';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);
// The tile services: in the Prod account through its role when configured (lib/aws/assumed-role.ts).
const prod = accountOf(config, 'prod');
const ecs = makeEcsGateway(awsClientIn(ECSClient, 'ecs', prod));
const now = () => new Date();
const executors = tileExecutors({
  ecs,
  codedeploy: makeCodeDeployGateway(awsClientIn(CodeDeployClient, 'codedeploy', prod)),
  tiles: makeTileLedger(dynamo, deployment.ledgerTable),
});

export const handler = makeHandler({
  config,
  ecs,
  releases: makeLedger(dynamo, deployment.ledgerTable),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  actor: actorOver('tile-restart', dynamo, deployment.ledgerTable, bus, executors, logger, now),
  logger,
  now,
});
