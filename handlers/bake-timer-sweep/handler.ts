import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { makeBakeTimerSweeper } from '../../lib/aws/bake-timer-sweep';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { logger } from '../../lib/logger';
import { makeHandler } from './make-handler';
import { awsClient } from '../../lib/aws/clients';
import { schedulerClient } from '../../lib/aws/scheduler-client';

const { config, deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  config,
  timers: makeBakeTimerSweeper(schedulerClient(), deployment.scheduleGroup),
  codepipeline: makeCodePipelineGateway(awsClient(CodePipelineClient, 'codepipeline')),
  logger,
  now: () => new Date(),
});
