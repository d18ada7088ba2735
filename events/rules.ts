import type { GuardConfig } from '../config/schema';
import { approvalActionPattern } from './aws/codepipeline-action-execution-state-change';
import { stageExecutionPattern } from './aws/codepipeline-stage-execution-state-change';
import type { EventPattern } from './envelope';
import { bakeTimerFired } from './guard/bake-timer-fired';
import { decisionPattern } from './guard/decision-event';

export type Bus = 'default' | 'guard';
export type Rule = { bus: Bus; pattern: EventPattern };

/**
 * Which events reach which function. serverless.yml takes its EventBridge rules from here (through
 * config/serverless-vars.cjs) and the simulator routes with the same list, so the two cannot drift.
 */
export function functionRules(config: GuardConfig): Record<string, Rule[]> {
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
    // Every decision the guard announces: one Slack message each, and its release-safety metrics.
    notify: [{ bus: 'guard', pattern: decisionPattern() }],
    metrics: [{ bus: 'guard', pattern: decisionPattern() }],
  };
}
