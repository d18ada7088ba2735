import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { actorOver } from '../../lib/act/act';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeLedger } from '../../lib/aws/ledger';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { gateExecutors } from '../../lib/effects/gate';
import { guardRestoreOf } from './guard-restore';
import { logger } from '../../lib/logger';
import { awsClient } from '../../lib/aws/clients';
import { accountOf } from '../../lib/aws/assumed-role';
import { awsClientIn } from '../../lib/aws/clients-in-account';

/**
 * The real clients behind the Prod transition's two owners, the alarm gate and the reconciler (each Lambda builds
 * its own, once per instance: the alarm reader's tag cache lives as long as the instance).
 */
export function gateDepsFromProcessEnv() {
  const { config, deployment } = runtimeFromProcessEnv();
  const dynamo = awsClient(DynamoDBClient, 'dynamodb');
  const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);
  const codePipelineClient = awsClient(CodePipelineClient, 'codepipeline');
  const transitions = makeProdTransition(codePipelineClient);
  const codepipeline = makeCodePipelineGateway(codePipelineClient);
  const now = () => new Date();
  const restores = makeRollbackLedger(dynamo, deployment.ledgerTable);
  return {
    config,
    transitions,
    // Dev alarms: in the Dev account through its role when configured (lib/aws/assumed-role.ts).
    alarms: makeAlarmReader(
      awsClientIn(CloudWatchClient, 'cloudwatch', accountOf(config, 'dev')),
      awsClientIn(ResourceGroupsTaggingAPIClient, 'tagging', accountOf(config, 'dev')),
      { concurrency: config.alarmReadConcurrency },
    ),
    ledger: makeLedger(dynamo, deployment.ledgerTable),
    bus,
    actor: actorOver(
      'gate',
      dynamo,
      deployment.ledgerTable,
      bus,
      gateExecutors({ codepipeline, transitions, guardRestore: guardRestoreOf(restores) }),
      logger,
      now,
    ),
    restores,
    logger,
    now,
  };
}
