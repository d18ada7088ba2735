import type { GuardedPipeline } from '../../config/schema';
import { guardFailed } from '../../events/guard/guard-failed';
import { rollbackSkipped } from '../../events/guard/rollback-skipped';
import { rollbackStarted } from '../../events/guard/rollback-started';
import { decisionKeyOf } from '../../lib/aws/outbox';
import type { RestoreRecord } from '../../lib/aws/rollback-ledger';
import { retried } from '../../lib/retry';
import { describeError } from '../../lib/errors';
import type { Restore, Skip, FailureRef } from './decide-rollback';
import type { RollbackDeps, RollbackOutcome } from './make-handler';

/**
 * Carries out a rollback decision, at most once per failed execution: the ledger claim comes first, so a
 * duplicate event (or a second trigger of the same failure) stays silent and restores nothing. Observe mode
 * claims and announces the same decision but writes nothing to the pipeline.
 */
export async function actOnRollback(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  { decision, facts }: RollbackOutcome,
): Promise<void> {
  if (decision.kind !== 'skip' && decision.kind !== 'restore') return;
  const claim = decision.kind === 'restore' ? `restore:${decision.path}` : `skip:${decision.reason}`;
  if (!(await deps.ledger.claimRollback(pipeline.name, ref.executionId, claim, deps.now()))) {
    deps.logger.info('Failure already decided: a duplicate trigger', { executionId: ref.executionId });
    await deps.outbox.flush(rollbackKey(pipeline, ref));
    return;
  }
  const commitId = facts.execution?.commitId;
  if (decision.kind === 'skip') return announceSkip(deps, pipeline, ref, decision);
  await restore(deps, pipeline, ref, decision, commitId);
}

async function restore(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  decision: Restore,
  failedCommitId: string | undefined,
): Promise<void> {
  let { path, pathReason } = decision;
  let rollbackExecutionId: string | undefined;
  if (deps.config.mode === 'enforce') {
    try {
      if (path === 'rollback-stage') {
        const out = await deps.codepipeline.rollbackStage(
          pipeline.name,
          decision.failure.stage,
          decision.target.executionId,
        );
        if (out.kind === 'started') rollbackExecutionId = out.executionId;
        else [path, pathReason] = ['restart', `CodePipeline refused RollbackStage: ${out.why}`];
      }
      if (path === 'restart') {
        rollbackExecutionId = await deps.codepipeline.startWithRevisions(
          pipeline.name,
          decision.sourceRevisions,
          decision.requestToken,
        );
      }
    } catch (error) {
      deps.logger.error('Restore failed', { error: describeError(error) });
      const { name, message } = describeError(error);
      return announceSkip(deps, pipeline, ref, {
        kind: 'skip',
        reason: 'rollback-failed',
        failure: decision.failure,
        target: decision.target,
        detail: `The ${path} restore of ${decision.target.executionId} failed (${name}: ${message}). Nothing more is tried: restore by hand.`,
      });
    }
    if (rollbackExecutionId) await markRestore(deps, pipeline, ref, decision, path, rollbackExecutionId);
  }
  await deps.outbox.announce(rollbackKey(pipeline, ref), rollbackStarted, {
    mode: deps.config.mode,
    pipeline: pipeline.name,
    failedExecutionId: ref.executionId,
    failedStage: decision.failure.stage,
    failedInProd: decision.failure.stage === pipeline.prodStage,
    failedAction: decision.failure.action,
    failedCommitId,
    failureSummary: decision.failure.summary,
    path,
    pathReason,
    targetExecutionId: decision.target.executionId,
    targetCommitId: decision.target.commitId,
    targetCommitMessage: decision.target.commitMessage,
    rollbackExecutionId,
  });
}

/** Attempts to record a restore; each attempt already carries the SDK's own retries with backoff. */
const RECORD_ATTEMPTS = 3;

/**
 * Marks R as the guard's restore: its own failure is then never rolled back, and the gate lets it pass.
 * The restore has happened either way, so a mark that still fails after a few attempts is announced loudly
 * (GuardFailed), not thrown: a retry of the whole event would stay silent behind the claim.
 */
async function markRestore(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  decision: Restore,
  path: Restore['path'],
  restoreExecutionId: string,
): Promise<void> {
  const record: RestoreRecord = {
    pipeline: pipeline.name,
    restoreExecutionId,
    failedExecutionId: ref.executionId,
    targetExecutionId: decision.target.executionId,
    targetCommitId: decision.target.commitId,
    path,
    failedStage: decision.failure.stage,
  };
  const lastError = await recordWithRetries(deps, record);
  if (lastError === undefined) return;
  deps.logger.error('Restore started but not recorded: the guard will not recognise it as its own', {
    restoreExecutionId,
    error: describeError(lastError),
  });
  await deps.bus.emit(guardFailed, {
    mode: deps.config.mode,
    reaction: 'rollback',
    pipeline: pipeline.name,
    executionId: restoreExecutionId,
    error: describeError(lastError),
    consequence:
      `the restore ${restoreExecutionId} runs but is not recorded as the guard's: the Prod gate holds it like any ` +
      "release (approve it by hand), and a failure of it is judged as an ordinary release's",
  });
}

/** Undefined once recorded; otherwise the last attempt's error. */
async function recordWithRetries(deps: RollbackDeps, record: RestoreRecord): Promise<unknown> {
  try {
    await retried(
      RECORD_ATTEMPTS,
      () => deps.ledger.recordRestore(record, deps.now()),
      (error, attempt) =>
        deps.logger.warn('Recording the restore failed', { attempt, error: describeError(error) }),
    );
    return undefined;
  } catch (error) {
    return error ?? new Error('recordRestore failed');
  }
}

async function announceSkip(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  skip: Skip,
): Promise<void> {
  await deps.outbox.announce(rollbackKey(pipeline, ref), rollbackSkipped, {
    mode: deps.config.mode,
    pipeline: pipeline.name,
    executionId: ref.executionId,
    commitId: skip.failure?.commitId,
    failedStage: skip.failure?.stage,
    failedAction: skip.failure?.action,
    reason: skip.reason,
    detail: skip.detail,
    targetExecutionId: skip.target?.executionId,
    targetCommitId: skip.target?.commitId,
  });
}

/** One decision per failed execution (the ledger claim): restored, skipped, or the restore failed. */
const rollbackKey = (pipeline: GuardedPipeline, ref: FailureRef) =>
  decisionKeyOf(pipeline.name, 'rollback', ref.executionId);
