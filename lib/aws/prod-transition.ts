import {
  ConflictException,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineStateCommand,
  NotLatestPipelineExecutionException,
  RetryStageExecutionCommand,
  StageNotRetryableException,
} from '@aws-sdk/client-codepipeline';
import type { GuardedPipeline } from '../../config/schema';
import {
  gateRun,
  inboundExecutionIds,
  waitingApproval,
  type GateRun,
  type CodePipelineSender,
  type GateState,
} from './codepipeline';

export type TransitionState = { enabled: boolean; reason?: string; changedBy?: string; changedAt?: Date };

/** The Prod stage as the alarm gate sees it: its inbound transition and the approval waiting at the gate. */
export type ProdView = {
  transition: TransitionState;
  waiting?: GateState['waiting'];
  prodInbound: string[];
  /** The gate approval's latest run: who answered it, with which summary. */
  gate?: GateRun;
  /** The Dev stage's latest execution, from the same read (for `release-guard status`). */
  dev?: { executionId?: string; status?: string };
};

/** The Prod inbound transition: read it with the gate in one GetPipelineState, close it, reopen it. */
export function makeProdTransition(client: CodePipelineSender) {
  return {
    async getProdView(pipeline: GuardedPipeline): Promise<ProdView> {
      const state = await client.send(new GetPipelineStateCommand({ name: pipeline.name }));
      const prod = state.stageStates?.find((s) => s.stageName === pipeline.prodStage);
      const t = prod?.inboundTransitionState;
      return {
        transition: {
          // A stage CodePipeline reports without a transition state has never been disabled.
          enabled: t?.enabled ?? true,
          reason: t?.disabledReason,
          changedBy: t?.lastChangedBy,
          changedAt: t?.lastChangedAt,
        },
        waiting: waitingApproval(prod, pipeline.gateAction),
        prodInbound: inboundExecutionIds(prod),
        gate: gateRun(prod, pipeline.gateAction),
        dev: devLatest(state.stageStates?.find((s) => s.stageName === pipeline.devStage)),
      };
    },

    async disableProdInbound(pipeline: GuardedPipeline, reason: string): Promise<void> {
      await client.send(
        new DisableStageTransitionCommand({
          pipelineName: pipeline.name,
          stageName: pipeline.prodStage,
          transitionType: 'Inbound',
          reason,
        }),
      );
    },

    /**
     * promote-now of an execution the gate rejected: run its failed Prod actions again (the approval, with a new
     * token). CodePipeline refuses a stage that is not failed or an execution that is not the stage's latest.
     */
    async retryProdStage(
      pipeline: GuardedPipeline,
      executionId: string,
    ): Promise<{ kind: 'retried' } | { kind: 'refused'; why: string }> {
      try {
        await client.send(
          new RetryStageExecutionCommand({
            pipelineName: pipeline.name,
            stageName: pipeline.prodStage,
            pipelineExecutionId: executionId,
            retryMode: 'FAILED_ACTIONS',
          }),
        );
        return { kind: 'retried' };
      } catch (error) {
        if (
          error instanceof StageNotRetryableException ||
          error instanceof NotLatestPipelineExecutionException ||
          error instanceof ConflictException
        ) {
          return { kind: 'refused', why: `${error.name}: ${error.message}` };
        }
        throw error;
      }
    },

    async enableProdInbound(pipeline: GuardedPipeline): Promise<void> {
      await client.send(
        new EnableStageTransitionCommand({
          pipelineName: pipeline.name,
          stageName: pipeline.prodStage,
          transitionType: 'Inbound',
        }),
      );
    },
  };
}

export type ProdTransition = ReturnType<typeof makeProdTransition>;

function devLatest(
  stage: { latestExecution?: { pipelineExecutionId?: string; status?: string } } | undefined,
) {
  const latest = stage?.latestExecution;
  return latest ? { executionId: latest.pipelineExecutionId, status: latest.status } : undefined;
}
