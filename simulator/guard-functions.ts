import type { Deployment } from '../config/runtime';
import type { GuardConfig } from '../config/schema';
import { makeHandler as makeBakeStart } from '../handlers/bake-start/make-handler';
import { makeHandler as makePromote } from '../handlers/promote/make-handler';
import { makeHandler as makeRollback } from '../handlers/rollback/make-handler';
import { makeHandler as makeCodeDeployReport } from '../handlers/codedeploy-report/make-handler';
import { makeCodeDeployReader, type CodeDeploySender } from '../lib/aws/codedeploy';
import { makeRollbackPipeline } from '../lib/aws/rollback-codepipeline';
import { makeRollbackLedger } from '../lib/aws/rollback-ledger';
import { makeAlarmReader, type CloudWatchSender } from '../lib/aws/cloudwatch';
import { makeCodePipelineGateway, type CodePipelineSender } from '../lib/aws/codepipeline';
import { makeGuardBus, type EventBridgeSender } from '../lib/aws/guard-bus';
import { makeLedger, type DynamoSender } from '../lib/aws/ledger';
import { makeBakeTimers, type SchedulerSender } from '../lib/aws/scheduler';
import type { GuardLogger } from '../lib/reaction';
import type { FakeClients } from './world/services';

export type GuardFunction = (event: unknown) => Promise<void>;

/**
 * The guard's real handlers (`makeHandler` of every function in events/rules.ts), built over the world's
 * SDK clients the same way handler.ts builds them over real ones.
 */
export function guardFunctions(
  config: GuardConfig,
  deployment: Deployment,
  clients: FakeClients,
  logger: GuardLogger,
  clock: { now: () => Date; sleep: (ms: number) => Promise<void> },
): Record<string, GuardFunction> {
  const codepipeline = makeCodePipelineGateway(clients.codepipeline as unknown as CodePipelineSender);
  const ledger = makeLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable);
  const restores = makeRollbackLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable);
  const bus = makeGuardBus(clients.eventbridge as unknown as EventBridgeSender, deployment.busName);
  const lambda = <H extends (event: unknown, context: never) => Promise<unknown>>(h: H): GuardFunction => {
    return async (event) => {
      await h(event, lambdaContext as never);
    };
  };
  return {
    bakeStart: lambda(
      makeBakeStart({
        config,
        codepipeline,
        ledger,
        timers: makeBakeTimers(clients.scheduler as unknown as SchedulerSender, deployment),
        bus,
        logger,
        now: clock.now,
      }),
    ),
    promote: lambda(
      makePromote({
        config,
        codepipeline,
        alarms: makeAlarmReader(clients.cloudwatch as unknown as CloudWatchSender),
        ledger,
        restores,
        bus,
        logger,
        now: clock.now,
        sleep: clock.sleep,
      }),
    ),
    rollback: lambda(
      makeRollback({
        config,
        codepipeline: makeRollbackPipeline(clients.codepipeline as unknown as CodePipelineSender),
        ledger: restores,
        bus,
        logger,
        now: clock.now,
      }),
    ),
    codedeployReport: lambda(
      makeCodeDeployReport({
        config,
        codedeploy: makeCodeDeployReader(clients.codedeploy as unknown as CodeDeploySender),
        ledger: restores,
        bus,
        logger,
        now: clock.now,
      }),
    ),
  };
}

const lambdaContext = {
  functionName: 'simulated',
  awsRequestId: 'simulated',
  getRemainingTimeInMillis: () => 30_000,
  callbackWaitsForEmptyEventLoop: false,
};
