import type { Deployment } from '../config/runtime';
import type { GuardConfig } from '../config/schema';
import { makeHandler as makeBakeStart } from '../handlers/bake-start/make-handler';
import { makeHandler as makePromote } from '../handlers/promote/make-handler';
import { makeHandler as makeTileFollow } from '../handlers/tile-follow/make-handler';
import { makeHandler as makeTileRestart } from '../handlers/tile-restart/make-handler';
import { makeCodeDeployGateway, makeCodeDeployReader, type CodeDeploySender } from '../lib/aws/codedeploy';
import { makeEcsGateway, type EcsSender } from '../lib/aws/ecs';
import { makeTileLedger } from '../lib/aws/tile-ledger';
import { makeTileTimers } from '../lib/aws/tile-timers';
import { makeHandler as makeNotify } from '../handlers/notify/make-handler';
import { makeHandler as makeSlackControls } from '../handlers/slack-controls/make-handler';
import { makeSignatureMarks, makeSlackActionClaims } from '../lib/aws/slack-marks';
import { makeResponder } from '../lib/slack/response-url';
import type { SlackConfig } from '../lib/slack/slack-config';
import { makeUserGroups } from '../lib/slack/web-api';
import { makeHandler as makeMetrics } from '../handlers/metrics/make-handler';
import { makeHandler as makeHistoryKeeper } from '../handlers/history/make-handler';
import { makeHistory } from '../lib/aws/history';
import { makeMetricClaims } from '../lib/aws/metric-claims';
import type { Measurement } from '../handlers/metrics/measure-decision';
import { makeNotificationLedger } from '../lib/aws/notification-ledger';
import { makeSecureParameter, type SsmSender } from '../lib/aws/ssm-parameter';
import { makeSlackPoster } from '../lib/slack-webhook';
import { makeJournalSweep } from '../lib/act/sweep';
import type { FetchFunction } from '@slack/webhook';
import { makeHandler as makeAlarmGate } from '../handlers/alarm-gate/make-handler';
import { makeHandler as makeReconcile } from '../handlers/reconcile/make-handler';
import { makeHandler as makeBakeTimerSweep } from '../handlers/bake-timer-sweep/make-handler';
import { makeBakeTimerSweeper } from '../lib/aws/bake-timer-sweep';
import { makeProdTransition } from '../lib/aws/prod-transition';
import { makeHandler as makeRollback } from '../handlers/rollback/make-handler';
import { makeHandler as makeCodeDeployReport } from '../handlers/codedeploy-report/make-handler';
import { makeRollbackPipeline } from '../lib/aws/rollback-codepipeline';
import { makeRollbackLedger } from '../lib/aws/rollback-ledger';
import { guardRestoreOf } from '../handlers/alarm-gate/guard-restore';
import { makeAlarmReader, type CloudWatchSender } from '../lib/aws/cloudwatch';
import type { TaggingSender } from '../lib/aws/alarm-tags';
import { makeCodePipelineGateway, type CodePipelineSender } from '../lib/aws/codepipeline';
import { makeGuardBus, type EventBridgeSender } from '../lib/aws/guard-bus';
import { makeLedger, type DynamoSender } from '../lib/aws/ledger';
import { makeBakeTimers, type SchedulerSender } from '../lib/aws/scheduler';
import { makeOutbox } from '../lib/aws/outbox';
import { makeHolds, makeOverrides } from '../lib/aws/holds';
import { makeFreeze } from '../lib/aws/freeze';
import type { SsmSender as ChangeCalendarSender } from '../lib/aws/change-calendar';
import { holdExecutors } from '../lib/effects/hold';
import { makeHandler as makeCommand } from '../handlers/command/make-handler';
import type { GuardLogger } from '../lib/reaction';
import type { LambdaContext } from './world/lambda';
import type { FakeClients } from './world/services';
import { actorOver } from '../lib/act/act';
import type { JournalOwner } from '../lib/aws/partitions';
import { namingCalls } from '../lib/act/calls';
import { accountOf, type AccountTarget } from '../lib/aws/assumed-role';
import type { Executors } from '../lib/act/intent';
import { bakeExecutors } from '../lib/effects/bake';
import { gateExecutors, retryGateExecutors } from '../lib/effects/gate';
import { restoreExecutors } from '../lib/effects/restore';
import { tileExecutors } from '../lib/effects/tile';

/** A handler as Lambda calls it: the event and the invocation's context (remaining time on the virtual clock). */
export type GuardFunction = (event: unknown, context: LambdaContext) => Promise<unknown>;

/**
 * The guard's real handlers (`makeHandler` of every function in events/rules.ts), built over the world's
 * SDK clients the same way handler.ts builds them over real ones.
 */
export function guardFunctions(
  config: GuardConfig,
  deployment: Deployment,
  /**
   * The world's clients as one function instance sees them: the guard's own account, or (a target) another
   * account through its role, with that instance's credentials (simulator/world/sts-world.ts).
   */
  clientsIn: (target?: AccountTarget) => FakeClients,
  logger: GuardLogger,
  clock: { now: () => Date; sleep: (ms: number) => Promise<void> },
  /** What the world plays outside AWS: Slack's webhook, and where metrics go. */
  outside: {
    slackFetch: FetchFunction;
    publishMetrics: (m: Measurement) => void;
    /** Slack's Web API and the response_url of each action (Slack controls). */
    slackApi?: typeof fetch;
  },
): Record<string, GuardFunction> {
  // As awsClient() wraps the real clients: an error names its call (`codepipeline.RollbackStage`).
  const named = (fakes: FakeClients) =>
    Object.fromEntries(
      Object.entries(fakes).map(([service, client]) => [service, namingCalls(client, service)]),
    ) as FakeClients;
  const clients = named(clientsIn());
  // Dev's alarms and Prod's tile services: where config `environments` puts them, per function instance (handler.ts).
  // One instance's CloudWatch and Tagging clients share its credentials (one AssumeRole), as clients-in-account.ts.
  const devAlarmReader = () => {
    const dev = named(clientsIn(accountOf(config, 'dev')));
    return makeAlarmReader(
      dev.cloudwatch as unknown as CloudWatchSender,
      dev.tagging as unknown as TaggingSender,
      { concurrency: config.alarmReadConcurrency },
    );
  };
  const prod = named(clientsIn(accountOf(config, 'prod')));
  const codepipeline = makeCodePipelineGateway(clients.codepipeline as unknown as CodePipelineSender);
  const ledger = makeLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable);
  const restores = makeRollbackLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable);
  const bus = makeGuardBus(clients.eventbridge as unknown as EventBridgeSender, deployment.busName);
  const dynamo = clients.dynamodb as unknown as DynamoSender;
  const outbox = (owner: JournalOwner) => makeOutbox(owner, dynamo, deployment.ledgerTable, bus, clock.now);
  const actor = (owner: JournalOwner, executors: Executors) =>
    actorOver(owner, dynamo, deployment.ledgerTable, bus, executors, logger, clock.now);
  const transitions = makeProdTransition(clients.codepipeline as unknown as CodePipelineSender);
  const rollbackPipeline = makeRollbackPipeline(clients.codepipeline as unknown as CodePipelineSender);
  const ecs = makeEcsGateway(prod.ecs as unknown as EcsSender);
  const tiles = makeTileLedger(dynamo, deployment.ledgerTable);
  const lambda = <H extends (event: unknown, context: never) => Promise<unknown>>(h: H): GuardFunction => {
    return async (event, context) => h(event, context as never);
  };
  // Slack controls: the endpoint as handler.ts wires it, over the world's SSM, DynamoDB, bus and Slack.
  const respond = makeResponder({ fetch: outside.slackApi, timeoutMs: 0 });
  const slackControls = (slack: SlackConfig) => {
    const ssm = clients.ssm as unknown as SsmSender;
    const secret = makeSecureParameter(ssm, slack.signingSecretParameter, {
      maxAgeMs: 300_000,
      now: () => clock.now().getTime(),
    });
    const token = slack.botTokenParameter
      ? makeSecureParameter(ssm, slack.botTokenParameter, {
          maxAgeMs: 300_000,
          now: () => clock.now().getTime(),
        })
      : { read: () => Promise.reject(new Error('no botTokenParameter configured')) };
    const marks = makeSignatureMarks(dynamo, deployment.ledgerTable);
    return lambda(
      makeSlackControls({
        config,
        signingSecret: () => secret.read(),
        firstUse: (signature, at) => marks.firstUse(signature, at),
        members: makeUserGroups({
          token,
          fetch: outside.slackApi,
          timeoutMs: 0,
          maxAgeMs: 300_000,
          now: () => clock.now().getTime(),
        }),
        responseUrlPrefix: 'https://hooks.slack.com/',
        bus,
        respond,
        logger,
        now: clock.now,
      }),
    );
  };
  // Each function instance gets its own alarm reader, as each Lambda has its own tag cache.
  const gateDeps = () => ({
    config,
    transitions,
    alarms: devAlarmReader(),
    ledger,
    restores,
    bus,
    actor: actor(
      'gate',
      gateExecutors({ codepipeline, transitions, guardRestore: guardRestoreOf(restores) }),
    ),
    logger,
  });
  return {
    bakeStart: lambda(
      makeBakeStart({
        config,
        codepipeline,
        restores,
        actor: actor(
          'bake-start',
          bakeExecutors({
            ledger,
            timers: makeBakeTimers(clients.scheduler as unknown as SchedulerSender, deployment),
          }),
        ),
        logger,
        now: clock.now,
      }),
    ),
    alarmGate: lambda(makeAlarmGate({ ...gateDeps(), now: clock.now })),
    reconcile: lambda(
      makeReconcile({
        ...gateDeps(),
        tiles,
        journals: makeJournalSweep(dynamo, deployment.ledgerTable),
        now: clock.now,
      }),
    ),
    bakeTimerSweep: lambda(
      makeBakeTimerSweep({
        config,
        timers: makeBakeTimerSweeper(
          clients.scheduler as unknown as SchedulerSender,
          deployment.scheduleGroup,
        ),
        codepipeline,
        logger,
        now: clock.now,
      }),
    ),
    promote: lambda(
      makePromote({
        config,
        codepipeline,
        alarms: devAlarmReader(),
        ledger,
        restores,
        holds: makeHolds(dynamo, deployment.ledgerTable),
        overrides: makeOverrides(dynamo, deployment.ledgerTable),
        freeze: makeFreeze(config, clients.ssm as unknown as ChangeCalendarSender),
        actor: actor('promote', gateExecutors({ codepipeline, transitions })),
        logger,
        now: clock.now,
        sleep: clock.sleep,
      }),
    ),
    tileRestart: lambda(
      makeTileRestart({
        config,
        ecs,
        releases: ledger,
        restores,
        actor: actor(
          'tile-restart',
          tileExecutors({
            ecs,
            codedeploy: makeCodeDeployGateway(prod.codedeploy as unknown as CodeDeploySender),
            tiles,
          }),
        ),
        logger,
        now: clock.now,
      }),
    ),
    rollback: lambda(
      makeRollback({
        config,
        codepipeline: rollbackPipeline,
        ledger: restores,
        actor: actor(
          'rollback',
          restoreExecutors({ codepipeline: rollbackPipeline, ledger: restores, now: clock.now }),
        ),
        logger,
        now: clock.now,
      }),
    ),
    command: lambda(
      makeCommand({
        config,
        holds: makeHolds(dynamo, deployment.ledgerTable),
        codepipeline,
        transitions,
        releases: ledger,
        overrides: makeOverrides(dynamo, deployment.ledgerTable),
        history: makeHistory(dynamo, deployment.ledgerTable),
        actor: actor('command', {
          ...holdExecutors({
            holds: makeHolds(dynamo, deployment.ledgerTable),
            overrides: makeOverrides(dynamo, deployment.ledgerTable),
            scheduler: clients.scheduler as unknown as SchedulerSender,
            timerTarget: deployment,
          }),
          ...gateExecutors({ codepipeline, transitions }),
          ...retryGateExecutors({ transitions }),
        }),
        logger,
        now: clock.now,
        ...(config.slack
          ? { slack: { claims: makeSlackActionClaims(dynamo, deployment.ledgerTable), respond } }
          : {}),
      }),
    ),
    ...(config.slack ? { slackControls: slackControls(config.slack) } : {}),
    tileFollow: lambda(
      makeTileFollow({
        config,
        tiles: makeTileLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable),
        timers: makeTileTimers(clients.scheduler as unknown as SchedulerSender, deployment),
        outbox: outbox('tile-follow'),
        logger,
      }),
    ),
    notify: lambda(
      makeNotify({
        ledger: makeNotificationLedger(clients.dynamodb as unknown as DynamoSender, deployment.ledgerTable, {
          leaseMs: 90_000,
          now: () => clock.now().getTime(),
        }),
        slack: makeSlackPoster({
          url: makeSecureParameter(clients.ssm as unknown as SsmSender, config.slackWebhookParameter, {
            maxAgeMs: 300_000,
            now: () => clock.now().getTime(),
          }),
          sleep: clock.sleep,
          fetch: outside.slackFetch,
          // The simulated Slack answers in virtual time, so a real-time abort timer (AbortSignal.timeout) has
          // nothing to bound: it would only keep each run's world reachable until it fired, and a run of
          // thousands of scenarios, all microtasks, never lets a timer fire (the property tests ran out of heap).
          timeoutMs: 0,
        }),
        logger,
        controls: config.slack !== undefined,
      }),
    ),
    metrics: lambda(
      makeMetrics({
        publish: outside.publishMetrics,
        claims: makeMetricClaims(
          clients.dynamodb as unknown as DynamoSender,
          deployment.ledgerTable,
          clock.now,
        ),
        logger,
      }),
    ),
    history: lambda(
      makeHistoryKeeper({ config, history: makeHistory(dynamo, deployment.ledgerTable), logger }),
    ),
    codedeployReport: lambda(
      makeCodeDeployReport({
        config,
        codedeploy: makeCodeDeployReader(clients.codedeploy as unknown as CodeDeploySender),
        ledger: restores,
        bus,
        outbox: outbox('codedeploy-report'),
        logger,
        now: clock.now,
      }),
    ),
  };
}
