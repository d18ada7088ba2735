import type {
  ExecutionDetails,
  ExecutionSummary,
  FailedAction,
  SourceRevisionOverride,
} from '../../lib/aws/rollback-codepipeline';
import type { RestoreRecord } from '../../lib/aws/rollback-ledger';
import {
  notAFailure,
  notDeployed,
  pickFailed,
  rollbackOfRollback,
  type Failure,
  type Skip,
} from './classify-failure';
import { MAX_SOURCE_REVISIONS, lastKnownGood, revisionOverrides, sameRevisions } from './last-known-good';

const ROLLBACK_TRIGGERS = new Set(['ManualRollback', 'AutomatedRollback']);
export type { Failure, Skip } from './classify-failure';

const NOT_FAILURES = new Set(['SUPERSEDED', 'CANCELED', 'STOPPED', 'Superseded', 'Cancelled', 'Stopped']);

export type FailureRef = {
  pipeline: string;
  executionId: string;
  /** The state the event reported (pipeline, stage or action). */
  state: string;
  /** Stage and action events name the stage; action events also the action and its result. */
  stage?: string;
  action?: FailedAction;
};

export type RollbackInput = {
  ref: FailureRef;
  deployingStages: string[];
  execution?: ExecutionDetails;
  /** The guard's own restore record of E, if E is a restore the guard started. */
  restoreMark: RestoreRecord | undefined | 'not-loaded';
  failedActions?: FailedAction[];
  history?: { summaries: ExecutionSummary[]; complete: boolean };
  /** The LKG execution's details: read only when the fast path is otherwise possible. */
  target?: ExecutionDetails;
};

export type Restore = {
  kind: 'restore';
  failure: Failure;
  path: 'rollback-stage' | 'restart';
  pathReason?: string;
  target: { executionId: string; commitId?: string; commitMessage?: string };
  sourceRevisions: SourceRevisionOverride[];
  requestToken: string;
};

export type RollbackDecision =
  | { kind: 'ignore'; reason: string }
  | { kind: 'need-execution' | 'need-restore-mark' | 'need-failed-actions' | 'need-history' }
  | { kind: 'need-target'; executionId: string }
  | Skip
  | Restore;

/**
 * Decides what to do about an execution that ended without success. Facts are asked for one at a time
 * (`need-*`), so a superseded execution costs no read and a rollback's own failure no history read.
 * Invariant 3: never a rollback of a rollback, never to the failing release, only to a known-good one.
 */
export function decideRollback(input: RollbackInput): RollbackDecision {
  const { ref, execution: e } = input;
  if (NOT_FAILURES.has(ref.state)) return notAFailure(ref.state);
  if (!e) return { kind: 'need-execution' };
  if (e.status !== 'Failed') {
    return NOT_FAILURES.has(e.status ?? '')
      ? notAFailure(e.status!)
      : { kind: 'ignore', reason: `${ref.executionId} is ${e.status ?? 'unknown'}, not failed (yet)` };
  }
  const byPipeline = e.executionType === 'ROLLBACK' || ROLLBACK_TRIGGERS.has(e.triggerType ?? '');
  if (byPipeline) return rollbackOfRollback(e, 'CodePipeline marks it as a rollback');
  if (input.restoreMark === 'not-loaded') return { kind: 'need-restore-mark' };
  // An approval's FAILED event may not carry the summary that tells the guard's rejection from a person's.
  const fromEvent = ref.action?.category === 'Approval' && !ref.action.summary ? undefined : ref.action;
  const failed = fromEvent ?? (input.failedActions ? pickFailed(input.failedActions, ref.stage) : undefined);
  if (!failed && !input.failedActions) return { kind: 'need-failed-actions' };
  const failure: Failure = {
    stage: failed?.stage ?? ref.stage ?? 'unknown',
    action: failed?.action,
    summary: failed?.summary,
    commitId: e.commitId,
  };
  const nothingDeployed = notDeployed(failure, failed, input.deployingStages);
  // The guard's own gate rejection of its restore (a Dev-only restore at Prod) is no failed rollback.
  if (nothingDeployed?.reason === 'guard-rejection') return { ...nothingDeployed, failure };
  if (input.restoreMark) {
    return rollbackOfRollback(
      e,
      `the guard started it to restore after ${input.restoreMark.failedExecutionId}`,
    );
  }
  if (nothingDeployed) return { ...nothingDeployed, failure };
  if (!input.history) return { kind: 'need-history' };
  return chooseRestore(input, e, failure);
}

/** The last known good release before E, by the fast path when CodePipeline allows it (shared with rollback-now). */
export function chooseRestore(input: RollbackInput, e: ExecutionDetails, failure: Failure): RollbackDecision {
  const { summaries, complete } = input.history!;
  const lkg = lastKnownGood(summaries, e.executionId, complete);
  if (lkg.kind === 'none') {
    return {
      kind: 'skip',
      reason: 'no-known-good-release',
      failure,
      detail: `No known good release: ${lkg.why}.`,
    };
  }
  const target = {
    executionId: lkg.target.executionId,
    commitId: lkg.target.sourceRevisions[0]?.revisionId,
    commitMessage: lkg.target.sourceRevisions[0]?.revisionSummary,
  };
  if (sameRevisions(lkg.failed, lkg.target)) {
    const detail = `The last good execution ${target.executionId} ran the same revisions as the failed one: restoring would deploy the failing release again.`;
    return { kind: 'skip', reason: 'target-is-failing-commit', failure, target, detail };
  }
  const sourceRevisions = revisionOverrides(lkg.target);
  const restore = {
    kind: 'restore' as const,
    failure,
    target,
    sourceRevisions,
    requestToken: restoreRequestToken(e.executionId),
  };
  const slow = slowPathReason(e, lkg.target, input.target);
  if (slow === 'need-target') return { kind: 'need-target', executionId: target.executionId };
  if (!slow) return { ...restore, path: 'rollback-stage' };
  if (sourceRevisions.length > MAX_SOURCE_REVISIONS) {
    const detail = `${slow}, and its ${sourceRevisions.length} source revisions exceed StartPipelineExecution's ${MAX_SOURCE_REVISIONS}: restore by hand.`;
    return { kind: 'skip', reason: 'rollback-failed', failure, target, detail };
  }
  return { ...restore, path: 'restart', pathReason: slow };
}

/** Why RollbackStage cannot restore the target (CodePipeline's rules), or undefined when it can. */
function slowPathReason(
  e: ExecutionDetails,
  target: ExecutionSummary,
  details: ExecutionDetails | undefined,
): string | undefined | 'need-target' {
  if (e.executionMode === 'PARALLEL')
    return 'the pipeline runs in PARALLEL mode, where stages cannot be rolled back';
  if (target.executionType === 'ROLLBACK')
    return 'the last good execution is itself a rollback, which RollbackStage cannot target';
  if (!details) return 'need-target';
  if (details.pipelineVersion !== e.pipelineVersion) {
    return `the pipeline structure changed since the last good execution (version ${details.pipelineVersion ?? '?'} → ${e.pipelineVersion ?? '?'})`;
  }
  return undefined;
}

/** The clientRequestToken of the restart that restores after failed execution E: 1–128 of [a-zA-Z0-9-]. */
export function restoreRequestToken(failedExecutionId: string): string {
  return `release-guard-restore-${failedExecutionId.replace(/[^a-zA-Z0-9-]/g, '-')}`.slice(0, 128);
}
