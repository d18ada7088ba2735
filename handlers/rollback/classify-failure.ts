import { GUARD_REJECTION_PREFIX } from '../../events/guard/promotion-rejected';
import type { RollbackSkipped } from '../../events/guard/rollback-skipped';
import type { ExecutionDetails, FailedAction } from '../../lib/aws/rollback-codepipeline';

/** What failed, as the announcements name it. */
export type Failure = {
  stage: string;
  action?: string;
  summary?: string;
  commitId?: string;
};

export type Skip = {
  kind: 'skip';
  reason: RollbackSkipped['reason'];
  detail: string;
  failure?: Partial<Failure>;
  target?: { executionId: string; commitId?: string };
};

/** A failure that changed nothing deployed: before the deploying stages, or a rejection at an approval. */
export function notDeployed(
  failure: Failure,
  failed: FailedAction | undefined,
  deploying: string[],
): Skip | undefined {
  if (!deploying.includes(failure.stage)) {
    return {
      kind: 'skip',
      reason: 'before-deploying-stages',
      detail: `Failed in ${failure.stage}, before any deploying stage: nothing was deployed, nothing to restore.`,
    };
  }
  if (failed?.category !== 'Approval') return undefined;
  if (failed.summary?.startsWith(GUARD_REJECTION_PREFIX)) {
    return {
      kind: 'skip',
      reason: 'guard-rejection',
      detail: `The guard itself rejected the release at ${failed.action}; nothing was deployed, nothing to restore.`,
    };
  }
  return {
    kind: 'skip',
    reason: 'before-deploying-stages',
    detail: `Rejected at the approval ${failed.action} by a person; nothing was deployed, nothing to restore.`,
  };
}

/** A deploying stage's failed action first: that is what changed an environment. */
export function pickFailed(actions: FailedAction[], stage: string | undefined): FailedAction | undefined {
  return (
    actions.find((a) => a.stage === stage) ?? actions.find((a) => a.category !== 'Approval') ?? actions[0]
  );
}

export function notAFailure(state: string): Skip {
  return {
    kind: 'skip',
    reason: 'not-a-failure',
    detail: `The execution was ${state.toLowerCase()}, not failed: nothing to restore.`,
  };
}

export function rollbackOfRollback(e: ExecutionDetails, why: string): Skip {
  return {
    kind: 'skip',
    reason: 'rollback-of-rollback',
    failure: { commitId: e.commitId },
    detail: `A rollback failed (${why}): the guard never rolls back a rollback. Restore by hand.`,
  };
}
