import type { RollbackStarted } from '../../../events/guard/rollback-started';
import { executionLink } from './console-links';
import { esc, shortCommit, shortExecution, type Notice, type RenderContext } from './notice';

export function renderRollbackStarted(d: RollbackStarted, ctx: RenderContext): Notice {
  const failed = `\`${shortExecution(d.failedExecutionId)}\``;
  const target = `${shortCommit(d.targetCommitId)}${d.targetCommitMessage ? ` (${esc(d.targetCommitMessage)})` : ''}`;
  const where = d.failedAction ? `${d.failedStage} / ${d.failedAction}` : d.failedStage;
  const verb = d.mode === 'enforce' ? 'Rolling back' : 'Would have rolled back';
  return {
    mode: d.mode,
    icon: ':rewind:',
    headline: d.requestedBy
      ? `${verb} ${d.pipeline} to ${shortCommit(d.targetCommitId)}: rollback-now by ${esc(d.requestedBy.by)}`
      : `${verb} ${d.pipeline} to ${shortCommit(d.targetCommitId)}: ${shortCommit(d.failedCommitId)} failed in ${d.failedStage}`,
    why: [
      d.requestedBy
        ? `${esc(d.requestedBy.by)} asked to roll back now: ${esc(d.requestedBy.reason)}. Execution ${failed} (${shortCommit(d.failedCommitId)}) is the release now in ${d.failedStage}.`
        : `Execution ${failed} failed in ${where}${d.failureSummary ? `: ${esc(d.failureSummary)}` : '.'}`,
      `The last known good release is ${target}, execution \`${shortExecution(d.targetExecutionId)}\`.`,
      d.path === 'rollback-stage'
        ? `Fast path: RollbackStage of ${d.failedStage} to that execution.`
        : `New execution with the known-good source revisions${d.pathReason ? ` (${esc(d.pathReason)})` : ''}.`,
    ],
    next:
      d.mode === 'enforce'
        ? [restoreNext(d), `Fix ${shortCommit(d.failedCommitId)} and push: the fix bakes as usual.`]
        : [
            `Nothing was started: restore ${shortCommit(d.targetCommitId)} by hand if ${d.failedStage} needs it.`,
          ],
    links: [
      ...executionLink(
        ctx.region,
        d.pipeline,
        d.failedExecutionId,
        `failed execution ${shortExecution(d.failedExecutionId)}`,
      ),
      ...(d.rollbackExecutionId
        ? executionLink(
            ctx.region,
            d.pipeline,
            d.rollbackExecutionId,
            `rollback ${shortExecution(d.rollbackExecutionId)}`,
          )
        : []),
      ...executionLink(
        ctx.region,
        d.pipeline,
        d.targetExecutionId,
        `known good ${shortExecution(d.targetExecutionId)}`,
      ),
    ],
    commit: { id: d.failedCommitId },
  };
}

/** What the restore does next: only a restore of a Prod failure passes the Prod gate without a bake. */
function restoreNext(d: RollbackStarted): string {
  const rollback = `The rollback${d.rollbackExecutionId ? ` \`${shortExecution(d.rollbackExecutionId)}\`` : ''}`;
  if (d.failedInProd !== false) {
    return `${rollback} passes the Prod gate without a bake: its commit is known good.`;
  }
  if (d.path === 'rollback-stage') {
    return `${rollback} restores ${d.failedStage} only; Prod never received the failed commit and keeps its release.`;
  }
  return `${rollback} re-runs the pipeline to restore ${d.failedStage}; at the Prod gate the guard rejects it: Prod already runs a known good release.`;
}
