import {
  ConflictException,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PipelineExecutionOutdatedException,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  UnableToRollbackStageException,
  type SourceRevisionType,
} from '@aws-sdk/client-codepipeline';
import type { CodePipelineSender } from './codepipeline';

/** What the rollback needs to know about one pipeline execution (GetPipelineExecution). */
export type ExecutionDetails = {
  executionId: string;
  status?: string;
  triggerType?: string;
  executionType?: string;
  executionMode?: string;
  pipelineVersion?: number;
  /** For a ROLLBACK execution: the execution it rolled back to. */
  rollbackTargetId?: string;
  commitId?: string;
  commitMessage?: string;
};

/** One line of the pipeline's execution history (ListPipelineExecutions), newest first. */
export type ExecutionSummary = {
  executionId: string;
  status?: string;
  startTime?: Date;
  triggerType?: string;
  executionType?: string;
  /** For a ROLLBACK execution: the execution it rolled back to. */
  rollbackTargetId?: string;
  sourceRevisions: { actionName: string; revisionId: string; revisionSummary?: string }[];
};

export type FailedAction = { stage: string; action: string; category?: string; summary?: string };

export type SourceRevisionOverride = {
  actionName: string;
  revisionType: SourceRevisionType;
  revisionValue: string;
};

export type RollbackStageOutcome =
  { kind: 'started'; executionId: string } | { kind: 'refused'; why: string };

/** Lambda's clock and CodePipeline's may differ a little: a rollback started just "before" the intent is still it. */
const CLOCK_SKEW_MS = 5_000;

/** Pages of 100 executions read at most while looking for the last known good release. */
export const HISTORY_PAGES = 3;

/** The CodePipeline calls of the rollback reaction: reads of an execution and its history, and the restore. */
export function makeRollbackPipeline(client: CodePipelineSender) {
  return {
    async getExecution(pipelineName: string, executionId: string): Promise<ExecutionDetails> {
      const { pipelineExecution: e } = await client.send(
        new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
      );
      const revision = e?.artifactRevisions?.[0];
      return {
        executionId,
        status: e?.status,
        triggerType: e?.trigger?.triggerType,
        executionType: e?.executionType,
        executionMode: e?.executionMode,
        pipelineVersion: e?.pipelineVersion,
        rollbackTargetId: e?.rollbackMetadata?.rollbackTargetPipelineExecutionId,
        commitId: revision?.revisionId,
        commitMessage: revision?.revisionSummary,
      };
    },

    /** The failed actions of one execution; the events name the stage at most, never the cause. */
    async failedActions(pipelineName: string, executionId: string): Promise<FailedAction[]> {
      const { actionExecutionDetails = [] } = await client.send(
        new ListActionExecutionsCommand({ pipelineName, filter: { pipelineExecutionId: executionId } }),
      );
      return actionExecutionDetails
        .filter((a) => a.status === 'Failed' && a.stageName && a.actionName)
        .map((a) => ({
          stage: a.stageName!,
          action: a.actionName!,
          category: a.input?.actionTypeId?.category,
          summary: a.output?.executionResult?.externalExecutionSummary,
        }));
    },

    /** Newest first, page by page, until `enough` says so or HISTORY_PAGES pages were read. */
    async history(
      pipelineName: string,
      enough: (summaries: ExecutionSummary[]) => boolean,
    ): Promise<{ summaries: ExecutionSummary[]; complete: boolean }> {
      const summaries: ExecutionSummary[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const out = await client.send(
          new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100, nextToken }),
        );
        summaries.push(...(out.pipelineExecutionSummaries ?? []).map(toSummary));
        nextToken = out.nextToken;
        if (!nextToken || enough(summaries)) return { summaries, complete: !nextToken };
      }
      return { summaries, complete: false };
    },

    /**
     * The rollback execution RollbackStage started to `targetExecutionId` since `since`, if any: how a retry finds
     * the restore an earlier attempt made (its answer lost) instead of starting a second one.
     */
    async findRollback(
      pipelineName: string,
      targetExecutionId: string,
      since: Date,
      revisions: SourceRevisionOverride[] = [],
    ): Promise<{ executionId: string; path: 'rollback-stage' | 'restart' } | undefined> {
      const out = await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100 }));
      const recent = (out.pipelineExecutionSummaries ?? [])
        .map(toSummary)
        .filter((s) => s.startTime === undefined || s.startTime.getTime() >= since.getTime() - CLOCK_SKEW_MS);
      const rollback = recent.find(
        (s) => s.executionType === 'ROLLBACK' && s.rollbackTargetId === targetExecutionId,
      );
      if (rollback?.executionId) return { executionId: rollback.executionId, path: 'rollback-stage' };
      // An earlier attempt whose RollbackStage was refused restarted with the known good revisions instead.
      const wanted = revisions
        .map((r) => `${r.actionName}=${r.revisionValue}`)
        .sort()
        .join(' ');
      const restart = recent.find(
        (s) =>
          s.executionType !== 'ROLLBACK' &&
          wanted !== '' &&
          s.sourceRevisions
            .map((r) => `${r.actionName}=${r.revisionId}`)
            .sort()
            .join(' ') === wanted,
      );
      return restart?.executionId ? { executionId: restart.executionId, path: 'restart' } : undefined;
    },

    /**
     * CodePipeline refuses the target when the structure changed since it ran, it is outdated, or the stage is
     * busy: `refused`, so the caller restarts instead. Other errors are thrown.
     */
    async rollbackStage(
      pipelineName: string,
      stageName: string,
      targetExecutionId: string,
    ): Promise<RollbackStageOutcome> {
      try {
        const out = await client.send(
          new RollbackStageCommand({ pipelineName, stageName, targetPipelineExecutionId: targetExecutionId }),
        );
        return { kind: 'started', executionId: out.pipelineExecutionId ?? '' };
      } catch (error) {
        // A running stage is refused with UnableToRollbackStageException or ConflictException (a busy pipeline);
        // AWS does not say which for sure, so both take the same safe way: a restart with the known good revisions.
        if (
          error instanceof UnableToRollbackStageException ||
          error instanceof PipelineExecutionOutdatedException ||
          error instanceof ConflictException
        ) {
          return { kind: 'refused', why: `${error.name}: ${error.message}` };
        }
        throw error;
      }
    },

    /** The same token starts nothing new: CodePipeline answers a repeated request with the same execution. */
    async startWithRevisions(
      pipelineName: string,
      sourceRevisions: SourceRevisionOverride[],
      clientRequestToken: string,
    ): Promise<string | undefined> {
      const out = await client.send(
        new StartPipelineExecutionCommand({ name: pipelineName, sourceRevisions, clientRequestToken }),
      );
      return out.pipelineExecutionId;
    },
  };
}

export type RollbackPipeline = ReturnType<typeof makeRollbackPipeline>;

function toSummary(s: {
  pipelineExecutionId?: string;
  status?: string;
  startTime?: Date;
  trigger?: { triggerType?: string };
  executionType?: string;
  rollbackMetadata?: { rollbackTargetPipelineExecutionId?: string };
  sourceRevisions?: { actionName?: string; revisionId?: string; revisionSummary?: string }[];
}): ExecutionSummary {
  return {
    executionId: s.pipelineExecutionId ?? '',
    status: s.status,
    startTime: s.startTime,
    triggerType: s.trigger?.triggerType,
    executionType: s.executionType,
    rollbackTargetId: s.rollbackMetadata?.rollbackTargetPipelineExecutionId,
    sourceRevisions: (s.sourceRevisions ?? []).flatMap((r) =>
      r.actionName && r.revisionId
        ? [{ actionName: r.actionName, revisionId: r.revisionId, revisionSummary: r.revisionSummary }]
        : [],
    ),
  };
}
