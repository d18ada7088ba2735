import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { setTimeout } from 'node:timers/promises';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { actorOver } from '../../lib/act/act';
import { gateExecutors } from '../../lib/effects/gate';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { logger } from '../../lib/logger';
import { makeHolds, makeOverrides } from '../../lib/aws/holds';
import { makeFreeze } from '../../lib/aws/freeze';
import { ssmClient } from '../../lib/aws/ssm';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';
import { accountOf } from '../../lib/aws/assumed-role';
import { awsClientIn } from '../../lib/aws/clients-in-account';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);
const codePipelineClient = awsClient(CodePipelineClient, 'codepipeline');
const codepipeline = makeCodePipelineGateway(codePipelineClient);
const now = () => new Date();
const executors = gateExecutors({ codepipeline, transitions: makeProdTransition(codePipelineClient) });

export const handler = makeHandler({
  config,
  codepipeline,
  alarms: makeAlarmReader(
    awsClientIn(CloudWatchClient, 'cloudwatch', accountOf(config, 'dev')),
    awsClientIn(ResourceGroupsTaggingAPIClient, 'tagging', accountOf(config, 'dev')),
    { concurrency: config.alarmReadConcurrency },
  ),
  ledger: makeLedger(dynamo, deployment.ledgerTable),
  restores: makeRollbackLedger(dynamo, deployment.ledgerTable),
  holds: makeHolds(dynamo, deployment.ledgerTable),
  overrides: makeOverrides(dynamo, deployment.ledgerTable),
  freeze: makeFreeze(config, ssmClient()),
  actor: actorOver('promote', dynamo, deployment.ledgerTable, bus, executors, logger, now),
  logger,
  now,
  sleep: (ms) => setTimeout(ms),
});
