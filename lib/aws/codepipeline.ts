import {
  ApprovalAlreadyCompletedException,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListActionExecutionsCommand,
  PutApprovalResultCommand,
  type CodePipelineClient,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import type { GuardedPipeline } from '../../config/schema';

export type CodePipelineSender = Pick<CodePipelineClient, 'send'>;

/** What the Prod gate and the Dev stage look like right now, as far as promotion cares. */
export type GateState = {
  /** The execution whose gate approval is waiting, with its token once CodePipeline has issued one. */
  waiting?: { executionId: string; token?: string };
  /** The most recent execution in the Dev stage. */
  devLatest?: { executionId: string; status: string };
  /** Executions that finished Dev and wait to enter Prod. */
  prodInbound: string[];
};

export type ExecutionFacts = {
  executionId: string;
  status?: string;
  commitId?: string;
  commitMessage?: string;
  triggerType?: string;
  executionType?: string;
};

export type GateAnswer = {
  actionExecutionId: string;
  status: 'Approved' | 'Rejected';
  /** The caller's IAM identity as CodePipeline recorded it. */
  by?: string;
  summary?: string;
};

export type ApprovalOutcome = 'recorded' | 'already-decided';

export function makeCodePipelineGateway(client: CodePipelineSender) {
  return {
    async getGateState(pipeline: GuardedPipeline): Promise<GateState> {
      const state = await client.send(new GetPipelineStateCommand({ name: pipeline.name }));
      const prod = state.stageStates?.find((s) => s.stageName === pipeline.prodStage);
      const dev = state.stageStates?.find((s) => s.stageName === pipeline.devStage);
      return {
        waiting: waitingApproval(prod, pipeline.gateAction),
        devLatest:
          dev?.latestExecution?.pipelineExecutionId && dev.latestExecution.status
            ? { executionId: dev.latestExecution.pipelineExecutionId, status: dev.latestExecution.status }
            : undefined,
        prodInbound: inboundExecutionIds(prod),
      };
    },

    async getExecution(pipeline: GuardedPipeline, executionId: string): Promise<ExecutionFacts> {
      const { pipelineExecution: e } = await client.send(
        new GetPipelineExecutionCommand({ pipelineName: pipeline.name, pipelineExecutionId: executionId }),
      );
      const revision = e?.artifactRevisions?.[0];
      return {
        executionId,
        status: e?.status,
        commitId: revision?.revisionId,
        commitMessage: revision?.revisionSummary,
        triggerType: e?.trigger?.triggerType,
        executionType: e?.executionType,
      };
    },

    /**
     * How E's gate approval was answered, and by whom (ListActionExecutions' `updatedBy`, CodePipeline's record of
     * the caller): read after the approval's own SUCCEEDED/FAILED event, when the stage may already run a newer
     * execution, so not from GetPipelineState.
     */
    async gateAnswer(pipeline: GuardedPipeline, executionId: string): Promise<GateAnswer | undefined> {
      const { actionExecutionDetails = [] } = await client.send(
        new ListActionExecutionsCommand({
          pipelineName: pipeline.name,
          filter: { pipelineExecutionId: executionId },
        }),
      );
      // Newest first: a retried approval's latest run is the one that counts.
      const run = actionExecutionDetails
        .filter((a) => a.stageName === pipeline.prodStage && a.actionName === pipeline.gateAction)
        .sort((a, b) => (b.lastUpdateTime?.getTime() ?? 0) - (a.lastUpdateTime?.getTime() ?? 0))[0];
      if (!run?.actionExecutionId || (run.status !== 'Succeeded' && run.status !== 'Failed'))
        return undefined;
      return {
        actionExecutionId: run.actionExecutionId,
        status: run.status === 'Succeeded' ? 'Approved' : 'Rejected',
        by: run.updatedBy,
        summary: run.output?.executionResult?.externalExecutionSummary,
      };
    },

    /** Approving or rejecting twice is harmless: the second answer reports `already-decided`. */
    async answerGate(
      pipeline: GuardedPipeline,
      token: string,
      status: 'Approved' | 'Rejected',
      summary: string,
    ): Promise<ApprovalOutcome> {
      try {
        await client.send(
          new PutApprovalResultCommand({
            pipelineName: pipeline.name,
            stageName: pipeline.prodStage,
            actionName: pipeline.gateAction,
            token,
            result: { status, summary: summary.slice(0, 512) },
          }),
        );
        return 'recorded';
      } catch (error) {
        if (
          error instanceof ApprovalAlreadyCompletedException ||
          error instanceof InvalidApprovalTokenException
        ) {
          return 'already-decided';
        }
        throw error;
      }
    },
  };
}

export type CodePipelineGateway = ReturnType<typeof makeCodePipelineGateway>;

export function waitingApproval(prod: StageState | undefined, gateAction: string): GateState['waiting'] {
  const executionId = prod?.latestExecution?.pipelineExecutionId;
  const gate = prod?.actionStates?.find((a) => a.actionName === gateAction)?.latestExecution;
  if (!executionId || prod?.latestExecution?.status !== 'InProgress' || gate?.status !== 'InProgress') {
    return undefined;
  }
  return { executionId, token: gate.token };
}

/** The gate approval's latest run, as far as telling who answered it goes. */
export type GateRun = {
  /** The execution the Prod stage runs (or ran last), and that stage run's status. */
  executionId?: string;
  stageStatus?: string;
  /** The gate approval's latest status: `Failed` when it was rejected. */
  status?: string;
  token?: string;
  summary?: string;
  /** Who answered it: an IAM ARN (a person, or the guard's own role). */
  answeredBy?: string;
};

export function gateRun(prod: StageState | undefined, gateAction: string): GateRun {
  const run = prod?.actionStates?.find((a) => a.actionName === gateAction)?.latestExecution;
  return {
    executionId: prod?.latestExecution?.pipelineExecutionId,
    stageStatus: prod?.latestExecution?.status,
    status: run?.status,
    token: run?.token,
    summary: run?.summary,
    answeredBy: run?.lastUpdatedBy,
  };
}

export function inboundExecutionIds(prod: StageState | undefined): string[] {
  const inbound = [
    ...(prod?.inboundExecutions ?? []),
    ...(prod?.inboundExecution ? [prod.inboundExecution] : []),
  ];
  return [...new Set(inbound.flatMap((e) => (e.pipelineExecutionId ? [e.pipelineExecutionId] : [])))];
}
