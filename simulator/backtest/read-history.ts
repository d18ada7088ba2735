import type { GuardedPipeline } from '../../config/schema';
import type { ActionExecution, ExecutionSummary, HistoryPipeline } from './history';

/** What one recorded execution did, as far as the history tells; `missing` lists what it does not tell. */
export type RecordedExecution = {
  pipeline: string;
  id: string;
  commitId: string | undefined;
  commitMessage: string;
  status: string;
  trigger: string | undefined;
  rollback: boolean;
  rollbackTargetId: string | undefined;
  /** The pipeline structure version it ran in (ListActionExecutions' pipelineVersion). */
  pipelineVersion: number | undefined;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
  devStartedAt: Date | undefined;
  devSucceededAt: Date | undefined;
  devFailedAt: Date | undefined;
  gate:
    { status: string; at: Date | undefined; by: string | undefined; startedAt: Date | undefined } | undefined;
  prodFailedAt: Date | undefined;
  prodSucceededAt: Date | undefined;
  missing: string[];
};

const date = (text: string | undefined) => (text === undefined ? undefined : new Date(text));

/** Every execution of one pipeline, oldest first, read through the guarded pipeline's stage and gate names. */
export function readExecutions(history: HistoryPipeline, guarded: GuardedPipeline): RecordedExecution[] {
  const actionsOf = new Map<string, ActionExecution[]>();
  for (const a of history.actionExecutions) {
    actionsOf.set(a.pipelineExecutionId, [...(actionsOf.get(a.pipelineExecutionId) ?? []), a]);
  }
  return history.executions
    .map((e) => readExecution(e, actionsOf.get(e.pipelineExecutionId) ?? [], history.name, guarded))
    .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
}

function readExecution(
  e: ExecutionSummary,
  actions: ActionExecution[],
  pipeline: string,
  guarded: GuardedPipeline,
): RecordedExecution {
  const missing: string[] = [];
  const revision = e.sourceRevisions?.[0];
  if (!revision?.revisionId) missing.push('no source revision: the commit is unknown');
  if (actions.length === 0) missing.push('no action executions: stage times and the gate answer are unknown');
  const dev = stageOutcome(actions.filter((a) => a.stageName === guarded.devStage));
  const gateRun = actions.find(
    (a) => a.stageName === guarded.prodStage && a.actionName === guarded.gateAction,
  );
  const prod = stageOutcome(
    actions.filter((a) => a.stageName === guarded.prodStage && a.actionName !== guarded.gateAction),
  );
  if (gateRun && gateRun.status !== 'InProgress' && !gateRun.updatedBy) {
    missing.push(`who answered ${guarded.gateAction} is not recorded (no updatedBy)`);
  }
  return {
    pipeline,
    id: e.pipelineExecutionId,
    commitId: revision?.revisionId,
    commitMessage: commitMessage(revision?.revisionSummary),
    status: e.status,
    trigger: e.trigger?.triggerType,
    rollback: e.executionType === 'ROLLBACK',
    rollbackTargetId: e.rollbackMetadata?.rollbackTargetPipelineExecutionId,
    pipelineVersion: actions.find((a) => a.pipelineVersion !== undefined)?.pipelineVersion,
    startedAt: date(e.startTime),
    endedAt: e.status === 'InProgress' ? undefined : date(e.lastUpdateTime),
    devStartedAt: dev.startedAt,
    devSucceededAt: dev.status === 'Succeeded' ? dev.endedAt : undefined,
    devFailedAt: dev.status === 'Failed' ? dev.endedAt : undefined,
    gate: gateRun && {
      status: gateRun.status,
      at: gateRun.status === 'InProgress' ? undefined : date(gateRun.lastUpdateTime),
      by: gateRun.updatedBy,
      startedAt: date(gateRun.startTime),
    },
    prodFailedAt: prod.status === 'Failed' ? prod.endedAt : undefined,
    prodSucceededAt: prod.status === 'Succeeded' ? prod.endedAt : undefined,
    missing,
  };
}

/** A stage's outcome from its actions: failed if one failed, succeeded when all did, else still running. */
function stageOutcome(actions: ActionExecution[]): { status?: string; startedAt?: Date; endedAt?: Date } {
  if (actions.length === 0) return {};
  const starts = actions.flatMap((a) => (a.startTime ? [Date.parse(a.startTime)] : []));
  const ends = actions.flatMap((a) => (a.lastUpdateTime ? [Date.parse(a.lastUpdateTime)] : []));
  const status = actions.some((a) => a.status === 'Failed')
    ? 'Failed'
    : actions.every((a) => a.status === 'Succeeded')
      ? 'Succeeded'
      : 'InProgress';
  return {
    status,
    ...(starts.length ? { startedAt: new Date(Math.min(...starts)) } : {}),
    ...(ends.length ? { endedAt: new Date(Math.max(...ends)) } : {}),
  };
}

/** A CodeStar/GitHub revision summary is JSON ({"ProviderType":…,"CommitMessage":…}); CodeCommit's is the text. */
function commitMessage(summary: string | undefined): string {
  if (!summary) return '';
  try {
    const parsed = JSON.parse(summary) as { CommitMessage?: unknown };
    return typeof parsed.CommitMessage === 'string' ? parsed.CommitMessage : summary;
  } catch {
    return summary;
  }
}
