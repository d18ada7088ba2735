import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { actorOver } from '../../lib/act/act';
import { awsClient } from '../../lib/aws/clients';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { makeGuardBus } from '../../lib/aws/guard-bus';
import { makeHistory } from '../../lib/aws/history';
import { makeHolds, makeOverrides } from '../../lib/aws/holds';
import { makeLedger } from '../../lib/aws/ledger';
import { makeSlackActionClaims } from '../../lib/aws/slack-marks';
import { makeResponder } from '../../lib/slack/response-url';
import { makeProdTransition } from '../../lib/aws/prod-transition';
import { gateExecutors, retryGateExecutors } from '../../lib/effects/gate';
import { holdExecutors } from '../../lib/effects/hold';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { schedulerClient } from '../../lib/aws/scheduler-client';

const { config, deployment } = runtimeFromProcessEnv();
const dynamo = awsClient(DynamoDBClient, 'dynamodb');
const bus = makeGuardBus(awsClient(EventBridgeClient, 'eventbridge'), deployment.busName);
const holds = makeHolds(dynamo, deployment.ledgerTable);
const codePipelineClient = awsClient(CodePipelineClient, 'codepipeline');
const now = () => new Date();
const codepipeline = makeCodePipelineGateway(codePipelineClient);
const transitions = makeProdTransition(codePipelineClient);
const executors = {
  ...holdExecutors({
    holds,
    overrides: makeOverrides(dynamo, deployment.ledgerTable),
    scheduler: schedulerClient(),
    timerTarget: deployment,
  }),
  // lift-block reopens the guard's own block (the same executor, and recognition, as the alarm gate's unblock).
  ...gateExecutors({ codepipeline, transitions }),
  // promote-now of an execution the gate rejected runs its Prod approval again.
  ...retryGateExecutors({ transitions }),
};

export const handler = makeHandler({
  config,
  holds,
  codepipeline,
  transitions,
  overrides: makeOverrides(dynamo, deployment.ledgerTable),
  releases: makeLedger(dynamo, deployment.ledgerTable),
  history: makeHistory(dynamo, deployment.ledgerTable),
  actor: actorOver('command', dynamo, deployment.ledgerTable, bus, executors, logger, now),
  logger,
  now,
  ...(config.slack
    ? { slack: { claims: makeSlackActionClaims(dynamo, deployment.ledgerTable), respond: makeResponder() } }
    : {}),
});
