import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeOutbox } from '../../lib/aws/outbox';
import { makeLedger } from '../../lib/aws/ledger';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = new DynamoDBClient();
const bus = makeGuardBus(new EventBridgeClient(), deployment.busName);
const codePipelineClient = new CodePipelineClient();

// Built once per Lambda instance: the alarm reader's tag cache lives as long as the instance.
export const handler = makeHandler({
  config,
  transitions: makeProdTransition(codePipelineClient),
  codepipeline: makeCodePipelineGateway(codePipelineClient),
  alarms: makeAlarmReader(new CloudWatchClient()),
  ledger: makeLedger(dynamo, deployment.ledgerTable),
  outbox: makeOutbox(dynamo, deployment.ledgerTable, bus),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  logger,
  now: () => new Date(),
});
