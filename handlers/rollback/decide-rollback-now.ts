import type { ExecutionSummary } from '../../lib/aws/rollback-codepipeline';
import { rollbackOfRollback } from './classify-failure';
import { chooseRestore, type RollbackDecision, type RollbackInput } from './decide-rollback';
import { historyIsEnough } from './last-known-good';

const ROLLBACK_TRIGGERS = new Set(['ManualRollback', 'AutomatedRollback']);

/** A person's `release-guard rollback-now`, as the command function recorded it (PersonCommand). */
export type RollbackNowRequest = { pipeline: string; by: string; reason: string };

export type RollbackNowInput = Omit<RollbackInput, 'ref'> & {
  request: RollbackNowRequest;
  prodStage: string;
  /** The release now in Prod: the newest execution that succeeded end to end (known once the history is read). */
  current?: ExecutionSummary;
};

export type RollbackNowDecision = RollbackDecision | { kind: 'need-current-history' };

/** The newest execution that succeeded end to end: the release now in Prod. */
export function releaseInProd(summaries: ExecutionSummary[]): ExecutionSummary | undefined {
  return summaries.find((s) => s.status === 'Succeeded');
}

/** Enough history: the release in Prod and, if there is one, a known good release before it. */
export function historyHoldsCurrentAndBefore(summaries: ExecutionSummary[]): boolean {
  const current = releaseInProd(summaries);
  return current !== undefined && historyIsEnough(current.executionId)(summaries);
}

/**
 * rollback-now: restore the most recent release before the one now in Prod that succeeded end to end (brief, item
 * 10), by the rollback reaction's own path and loop guards. The release in Prod stands for the failed one: never a
 * rollback of a rollback (CodePipeline's or the guard's restore), never to the same revisions, one restore per
 * release in Prod (the decision key is the automatic rollback's, so a second request or a later failure of the same
 * release restores nothing more). Facts are asked for one at a time, like decideRollback.
 */
export function decideRollbackNow(input: RollbackNowInput): RollbackNowDecision {
  if (!input.history) return { kind: 'need-current-history' };
  const current = releaseInProd(input.history.summaries);
  if (!current) {
    const scope = input.history.complete
      ? 'in the pipeline history'
      : `in the ${input.history.summaries.length} newest executions`;
    return {
      kind: 'skip',
      reason: 'no-known-good-release',
      detail: `Nothing to roll back from: no execution succeeded end to end ${scope}.`,
    };
  }
  const e = input.execution;
  if (!e || e.executionId !== current.executionId) return { kind: 'need-execution' };
  const failure = {
    stage: input.prodStage,
    commitId: e.commitId,
    summary: `rollback-now requested by ${input.request.by}: ${input.request.reason}`,
  };
  if (e.executionType === 'ROLLBACK' || ROLLBACK_TRIGGERS.has(e.triggerType ?? '')) {
    return rollbackNowOfRollback(e, 'CodePipeline marks it as a rollback');
  }
  if (input.restoreMark === 'not-loaded') return { kind: 'need-restore-mark' };
  if (input.restoreMark) {
    return rollbackNowOfRollback(e, `the guard restored it after ${input.restoreMark.failedExecutionId}`);
  }
  const asFailure: RollbackInput = {
    ...input,
    ref: { pipeline: input.request.pipeline, executionId: e.executionId, state: 'SUCCEEDED' },
  };
  const decision = chooseRestore(asFailure, e, failure);
  if (decision.kind === 'skip' && decision.reason === 'no-known-good-release') {
    return { ...decision, detail: `No release before the one now in Prod to restore: ${decision.detail}` };
  }
  return decision;
}

function rollbackNowOfRollback(e: NonNullable<RollbackInput['execution']>, why: string) {
  return {
    ...rollbackOfRollback(e, why),
    detail: `The release now in Prod, ${e.executionId}, is itself a rollback (${why}): the guard never rolls back a rollback. Choose the release by hand in the CodePipeline console.`,
  };
}
