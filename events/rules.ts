import type { GuardConfig } from '../config/schema';
import { deploymentStatePattern } from './aws/codedeploy-deployment-state-change';
import { approvalActionPattern, stageActionsPattern } from './aws/codepipeline-action-execution-state-change';
import { pipelineExecutionPattern } from './aws/codepipeline-pipeline-execution-state-change';
import { stageExecutionPattern } from './aws/codepipeline-stage-execution-state-change';
import type { EventPattern } from './envelope';
import { bakeTimerFired } from './guard/bake-timer-fired';

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
        pattern: deploymentStatePattern({
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
