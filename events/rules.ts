import type { GuardConfig } from '../config/schema';
import { approvalActionPattern, stageActionsPattern } from './aws/codepipeline-action-execution-state-change';
import { pipelineExecutionPattern } from './aws/codepipeline-pipeline-execution-state-change';
import { stageExecutionPattern } from './aws/codepipeline-stage-execution-state-change';
import type { EventPattern } from './envelope';
import { bakeTimerFired } from './guard/bake-timer-fired';
import {
  codeDeployFinalStatePattern,
  codeDeployGroupPattern,
} from './aws/codedeploy-deployment-state-change';
import { ecsDeploymentPattern } from './aws/ecs-deployment-state-change';
import { tileRestartStarted } from './guard/tile-restart-started';
import { tileRestartTimerFired } from './guard/tile-restart-timer-fired';
import { decisionPattern } from './guard/decision-event';
import { alarmContributorStatePattern } from './aws/cloudwatch-alarm-contributor-state-change';
import { alarmStatePattern } from './aws/cloudwatch-alarm-state-change';
import { promotionBlocked } from './guard/promotion-blocked';

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
  return {
    bakeStart: config.pipelines.map((p) => ({
      bus: 'default',
      pattern: stageExecutionPattern({ pipeline: p.name, stages: [p.devStage], states: ['SUCCEEDED'] }),
    })),
    promote: [
      { bus: 'guard', pattern: bakeTimerFired.pattern() },
      ...config.pipelines.map((p): Rule => ({
        bus: 'default',
        pattern: approvalActionPattern({
          pipeline: p.name,
          stage: p.prodStage,
          action: p.gateAction,
          states: ['STARTED'],
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
            { bus: 'default', pattern: ecsDeploymentPattern(tileServices) },
            { bus: 'default', pattern: codeDeployFinalStatePattern() },
            { bus: 'guard', pattern: tileRestartStarted.pattern() },
            { bus: 'guard', pattern: tileRestartTimerFired.pattern() },
          ]
        : [],
    // Every decision the guard announces: one Slack message each, and its release-safety metrics.
    notify: [{ bus: 'guard', pattern: decisionPattern() }],
    metrics: [{ bus: 'guard', pattern: decisionPattern() }],
    alarmGate: [alarmStatePattern(), alarmContributorStatePattern()].map((pattern): Rule => ({
      bus: 'default',
      pattern: alarmNameFilter(config, pattern),
    })),
    bakeTimerSweep: [{ bus: 'guard', pattern: promotionBlocked.pattern() }],
    // Three views of one failure, each best-effort: whichever arrives first decides, the ledger claim
    // silences the others (docs/rollback.md).
    rollback: config.pipelines.flatMap((p): Rule[] => {
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
    }),
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
