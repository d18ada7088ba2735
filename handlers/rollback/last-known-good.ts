import type { ExecutionSummary, SourceRevisionOverride } from '../../lib/aws/rollback-codepipeline';

/** CodePipeline takes at most this many source revision overrides in one StartPipelineExecution. */
export const MAX_SOURCE_REVISIONS = 50;

export type KnownGood =
  { kind: 'found'; failed: ExecutionSummary; target: ExecutionSummary } | { kind: 'none'; why: string };

/** The history holds E and, if there is one, the most recent execution before E that succeeded. */
export function historyIsEnough(failedExecutionId: string) {
  return (summaries: ExecutionSummary[]): boolean => {
    const at = summaries.findIndex((s) => s.executionId === failedExecutionId);
    return at >= 0 && summaries.slice(at + 1).some(isKnownGood);
  };
}

/**
 * The last known good release before E: the most recent older execution that succeeded end to end
 * (a successful rollback counts: it ran a known-good commit to the end). The history is newest first.
 */
export function lastKnownGood(
  summaries: ExecutionSummary[],
  failedExecutionId: string,
  complete: boolean,
): KnownGood {
  const at = summaries.findIndex((s) => s.executionId === failedExecutionId);
  const failed = summaries[at];
  if (!failed) {
    return {
      kind: 'none',
      why: `${failedExecutionId} is not among the ${summaries.length} newest executions`,
    };
  }
  const target = summaries.slice(at + 1).find(isKnownGood);
  if (target) return { kind: 'found', failed, target };
  const scope = complete ? 'in the pipeline history' : `in the ${summaries.length} newest executions`;
  return { kind: 'none', why: `no execution before ${failedExecutionId} succeeded end to end ${scope}` };
}

function isKnownGood(s: ExecutionSummary): boolean {
  return s.status === 'Succeeded' && s.sourceRevisions.length > 0;
}

/** The same source revisions, action by action: restoring them would deploy the failing release again. */
export function sameRevisions(a: ExecutionSummary, b: ExecutionSummary): boolean {
  const key = (s: ExecutionSummary) =>
    s.sourceRevisions
      .map((r) => `${r.actionName}=${r.revisionId}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/**
 * StartPipelineExecution's overrides for the target's revisions. The history gives no source provider, so
 * the type is read from the revision: an image digest for ECR sources, a commit for every Git source.
 */
export function revisionOverrides(target: ExecutionSummary): SourceRevisionOverride[] {
  return target.sourceRevisions.map((r) => ({
    actionName: r.actionName,
    revisionType: r.revisionId.startsWith('sha256:') ? 'IMAGE_DIGEST' : 'COMMIT_ID',
    revisionValue: r.revisionId,
  }));
}
