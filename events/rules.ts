import type { EnvironmentName, GuardConfig } from '../config/schema';
import { approvalActionPattern, stageActionsPattern } from './aws/codepipeline-action-execution-state-change';
import { pipelineExecutionPattern } from './aws/codepipeline-pipeline-execution-state-change';
import { stageExecutionPattern } from './aws/codepipeline-stage-execution-state-change';
import type { EventPattern } from './envelope';
import { bakeTimerFired } from './guard/bake-timer-fired';
import { codeDeployFinalStates, codeDeployGroupPattern } from './aws/codedeploy-deployment-state-change';
import { ecsDeploymentPattern } from './aws/ecs-deployment-state-change';
import { tileRestartStarted } from './guard/tile-restart-started';
import { tileRestartTimerFired } from './guard/tile-restart-timer-fired';
import { decisionPattern } from './guard/decision-event';
import { alarmContributorStatePattern } from './aws/cloudwatch-alarm-contributor-state-change';
import { alarmStatePattern } from './aws/cloudwatch-alarm-state-change';
import { promotionBlocked } from './guard/promotion-blocked';
import { personCommand } from './guard/person-command';
import { holdTimerFired } from './guard/hold-timer-fired';
import { slackCommandRequested } from './guard/slack-command-requested';

export type Bus = 'default' | 'guard';
export type Rule = { bus: Bus; pattern: EventPattern };

/**
 * Which events reach which function. serverless.yml takes its EventBridge rules from here (through
 * config/serverless-vars.cjs) and the simulator routes with the same list, so the two cannot drift.
 */
export function functionRules(config: GuardConfig): Record<string, Rule[]> {
  const tileServices = config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) => t.services.map((service) => ({ cluster: t.cluster, service }))),
  );
  const events = environmentPatterns(config);
  return {
    bakeStart: config.pipelines.map((p) => ({
      bus: 'default',
      pattern: stageExecutionPattern({ pipeline: p.name, stages: [p.devStage], states: ['SUCCEEDED'] }),
    })),
    promote: [
      { bus: 'guard', pattern: bakeTimerFired.pattern() },
      // The last hold ended with an execution waiting at the gate: decide it now (handlers/command).
      {
        bus: 'guard',
        pattern: {
          ...personCommand.pattern(),
          detail: { command: ['release-hold'], waitingExecutionId: [{ exists: true }] },
        },
      },
      // A person's promote-now (break glass), recorded by the command function: decide it now.
      {
        bus: 'guard',
        pattern: { ...personCommand.pattern(), detail: { command: ['promote-now'], outcome: ['requested'] } },
      },
      ...config.pipelines.map((p): Rule => ({
        bus: 'default',
        pattern: approvalActionPattern({
          pipeline: p.name,
          stage: p.prodStage,
          action: p.gateAction,
          // STARTED: decide E. SUCCEEDED / FAILED: record a person's answer (the guard's own is already announced).
          states: ['STARTED', 'SUCCEEDED', 'FAILED'],
        }),
      })),
    ],
    // Prod's stage SUCCEEDED (not the pipeline's): docs/tile-restarts.md says why.
    tileRestart: config.pipelines
      .filter((p) => p.tileServices.length > 0)
      .map((p) => ({
        bus: 'default',
        pattern: stageExecutionPattern({ pipeline: p.name, stages: [p.prodStage], states: ['SUCCEEDED'] }),
      })),
    tileFollow:
      tileServices.length > 0
        ? [
            ...fromEnvironment(config, 'prod', events.prod),
            { bus: 'guard', pattern: tileRestartStarted.pattern() },
            { bus: 'guard', pattern: tileRestartTimerFired.pattern() },
          ]
        : [],
    // Every decision the guard announces: one Slack message each, and its release-safety metrics.
    notify: [{ bus: 'guard', pattern: decisionPattern() }],
    metrics: [{ bus: 'guard', pattern: decisionPattern() }],
    // ... and its line in the decision history (release-guard history).
    history: [{ bus: 'guard', pattern: decisionPattern() }],
    alarmGate: fromEnvironment(config, 'dev', events.dev),
    bakeTimerSweep: [{ bus: 'guard', pattern: promotionBlocked.pattern() }],
    // A person's commands come over its function URL (infra/command.yml); the ends of timed holds come here.
    // With Slack controls, the commands the Slack endpoint verified (handlers/slack-controls) come here too.
    command: [
      { bus: 'guard', pattern: holdTimerFired.pattern() },
      ...(config.slack ? [{ bus: 'guard' as const, pattern: slackCommandRequested.pattern() }] : []),
    ],
    // Three views of one failure, each best-effort: whichever arrives first decides, the ledger claim
    // silences the others (docs/rollback.md).
    rollback: config.pipelines
      .flatMap((p): Rule[] => {
        const deploying = [p.devStage, p.prodStage];
        return [
          {
            bus: 'default',
            pattern: pipelineExecutionPattern({
              pipeline: p.name,
              states: ['FAILED', 'SUPERSEDED', 'CANCELED', 'STOPPED'],
            }),
          },
          {
            bus: 'default',
            pattern: stageExecutionPattern({ pipeline: p.name, stages: deploying, states: ['FAILED'] }),
          },
          {
            bus: 'default',
            pattern: stageActionsPattern({ pipeline: p.name, stages: deploying, states: ['FAILED'] }),
          },
        ];
      })
      .concat(
        // A person's rollback-now, recorded by the command function: the same restore, from the release in Prod.
        config.pipelines.length > 0
          ? [
              {
                bus: 'guard',
                pattern: {
                  ...personCommand.pattern(),
                  detail: { command: ['rollback-now'], outcome: ['requested'] },
                },
              },
            ]
          : [],
      ),
    codedeployReport: config.pipelines.flatMap((p) =>
      [...new Set(p.codeDeployGroups.map((g) => g.application))].map((application): Rule => ({
        bus: 'default',
        pattern: codeDeployGroupPattern({
          application,
          deploymentGroups: p.codeDeployGroups
            .filter((g) => g.application === application)
            .map((g) => g.deploymentGroup),
          states: ['FAILURE'],
        }),
      })),
    ),
  };
}

/**
 * The AWS service events of each environment the guard reacts to: Dev's alarm changes (alarm gate), Prod's tile
 * deployments (tile follow). In its own account the guard's rules match them on the default bus; from another
 * account the forwarder stack there (forwarder.yml) sends exactly these to the guard's bus.
 */
export function environmentPatterns(config: GuardConfig): Record<EnvironmentName, EventPattern[]> {
  const tileServices = config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) => t.services.map((service) => ({ cluster: t.cluster, service }))),
  );
  const groups = config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) => Object.values(t.codeDeploy ?? {})),
  );
  const applications = [...new Set(groups.map((g) => g.application))];
  return {
    dev: [alarmStatePattern(), alarmContributorStatePattern()].map((p) => alarmNameFilter(config, p)),
    prod:
      tileServices.length > 0
        ? [
            ecsDeploymentPattern(tileServices),
            // Only the blue/green tile services' deployment groups (a restart is a CodeDeploy deployment there).
            ...applications.map((application) =>
              codeDeployGroupPattern({
                application,
                deploymentGroups: [
                  ...new Set(
                    groups.filter((g) => g.application === application).map((g) => g.deploymentGroup),
                  ),
                ],
                states: [...codeDeployFinalStates],
              }),
            ),
          ]
        : [],
  };
}

/**
 * Rules for an environment's events: on the default bus in the guard's own account; forwarded to the guard's bus
 * and from that account only when the environment has an account of its own (events from any other account that
 * reach the bus match no rule).
 */
function fromEnvironment(
  config: GuardConfig,
  environment: EnvironmentName,
  patterns: EventPattern[],
): Rule[] {
  const account = config.environments[environment]?.accountId;
  return patterns.map((pattern) =>
    account ? { bus: 'guard', pattern: { ...pattern, account: [account] } } : { bus: 'default', pattern },
  );
}

/** Functions that run on a clock (an EventBridge schedule rule) rather than on events: every N minutes. */
export function functionSchedules(config: GuardConfig): Record<string, { everyMinutes: number }> {
  return {
    reconcile: { everyMinutes: config.reconcileMinutes },
    bakeTimerSweep: { everyMinutes: config.reconcileMinutes },
  };
}

/** Only alarms some pipeline may select reach the alarm gate; a tag-only selector needs every alarm. */
function alarmNameFilter(config: GuardConfig, pattern: EventPattern): EventPattern {
  const prefixes = config.pipelines.map((p) => p.devAlarms.namePrefix);
  if (prefixes.some((p) => p === undefined)) return pattern;
  return { ...pattern, detail: { alarmName: [...new Set(prefixes)].map((prefix) => ({ prefix })) } };
}
