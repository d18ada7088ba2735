import type { GuardedPipeline } from '../../config/schema';
import { rollbackSkipped } from '../../events/guard/rollback-skipped';
import { rollbackStarted } from '../../events/guard/rollback-started';
import { announcement, type Invocation } from '../../lib/act/act';
import { decisionKeyOf, type DecisionKey } from '../../lib/act/journal';
import { recordRestoreEffect, restoreEffect } from '../../lib/effects/restore';
import type { Restore, Skip, FailureRef } from './decide-rollback';
import type { RollbackDeps, RollbackOutcome } from './make-handler';

/**
 * Carries out a rollback decision — at most one per failed execution, keyed by it in the decision journal: a
 * duplicate event (or a second trigger of the same failure) finds it, and a retry after a timeout or a dead Lambda
 * finishes it. A restore ends in "restore started" (with the execution it started), or "could not restore: …".
 * Observe mode announces the same decision and writes nothing to the pipeline.
 */
export async function actOnRollback(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  { decision, facts }: RollbackOutcome,
  invocation: Invocation,
  person?: PersonRequest,
): Promise<void> {
  if (decision.kind !== 'skip' && decision.kind !== 'restore') return;
  // A person's rollback-now: a skip answers that request; a restore is the one restore from the release in Prod.
  const key = rollbackKey(pipeline, ref);
  const requestedBy = person && { by: person.by, reason: person.reason };
  if (decision.kind === 'skip') {
    const skipKey = person?.key ?? key;
    await deps.actor.act(
      skipKey,
      { primary: skipped(deps, skipKey, pipeline, ref, decision, requestedBy), effects: [] },
      invocation,
    );
    return;
  }
  const primary = announcement(key, rollbackStarted, {
    ...(requestedBy ? { requestedBy } : {}),
    mode: deps.config.mode,
    pipeline: pipeline.name,
    failedExecutionId: ref.executionId,
    failedStage: decision.failure.stage,
    failedInProd: decision.failure.stage === pipeline.prodStage,
    failedAction: decision.failure.action,
    failedCommitId: facts.execution?.commitId,
    failureSummary: decision.failure.summary,
    path: decision.path,
    pathReason: decision.pathReason,
    targetExecutionId: decision.target.executionId,
    targetCommitId: decision.target.commitId,
    targetCommitMessage: decision.target.commitMessage,
  });
  if (deps.config.mode === 'observe') {
    await deps.actor.act(key, { primary, effects: [] }, invocation);
    return;
  }
  const fallback = skipped(
    deps,
    key,
    pipeline,
    ref,
    {
      kind: 'skip',
      reason: 'rollback-failed',
      failure: decision.failure,
      target: decision.target,
      detail: `The restore of ${decision.target.executionId} could not be started: nothing more is tried. Restore by hand.`,
    },
    requestedBy,
  );
  await deps.actor.act(
    key,
    { primary, fallback, effects: restoreEffects(pipeline, ref, decision) },
    invocation,
  );
}

function restoreEffects(pipeline: GuardedPipeline, ref: FailureRef, decision: Restore) {
  return [
    restoreEffect({
      pipeline: pipeline.name,
      stage: decision.failure.stage,
      targetExecutionId: decision.target.executionId,
      path: decision.path,
      pathReason: decision.pathReason,
      sourceRevisions: decision.sourceRevisions,
      requestToken: decision.requestToken,
    }),
    recordRestoreEffect({
      pipeline: pipeline.name,
      failedExecutionId: ref.executionId,
      targetExecutionId: decision.target.executionId,
      targetCommitId: decision.target.commitId,
      path: decision.path,
      failedStage: decision.failure.stage,
    }),
  ];
}

function skipped(
  deps: RollbackDeps,
  key: DecisionKey,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  skip: Skip,
  requestedBy?: { by: string; reason: string },
) {
  return announcement(key, rollbackSkipped, {
    ...(requestedBy ? { requestedBy } : {}),
    mode: deps.config.mode,
    pipeline: pipeline.name,
    executionId: ref.executionId || undefined,
    commitId: skip.failure?.commitId,
    failedStage: skip.failure?.stage,
    failedAction: skip.failure?.action,
    reason: skip.reason,
    detail: skip.detail,
    targetExecutionId: skip.target?.executionId,
    targetCommitId: skip.target?.commitId,
  });
}

/** A person's rollback-now (PersonCommand): who asked and why, and the key a skip answers the request under. */
export type PersonRequest = { by: string; reason: string; key: DecisionKey };

/** One decision per failed execution: restored, skipped, the restore failed — or the guard could not decide. */
export const rollbackKey = (pipeline: GuardedPipeline, ref: FailureRef) =>
  decisionKeyOf(pipeline.name, 'rollback', ref.executionId);
