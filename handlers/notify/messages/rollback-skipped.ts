import type { RollbackSkipped } from '../../../events/guard/rollback-skipped';
import { codeDeployLink, executionLink } from './console-links';
import { esc, shortCommit, shortExecution, type Notice, type RenderContext } from './notice';

type Reason = Exclude<RollbackSkipped['reason'], 'codedeploy-report'>;

/** Why no rollback, in a person's words; `loud` when the release stays broken until someone acts. */
const reasons: Record<Reason, { loud: boolean; headline: string }> = {
  'no-known-good-release': { loud: true, headline: 'no known good release to restore' },
  'rollback-of-rollback': { loud: true, headline: 'the failed execution was itself a rollback' },
  'target-is-failing-commit': { loud: true, headline: 'the last known good release is the failing commit' },
  'rollback-failed': { loud: true, headline: 'the rollback itself failed' },
  'guard-rejection': { loud: false, headline: "the guard's own gate rejection, not a failed deploy" },
  'not-a-failure': { loud: false, headline: 'superseded, cancelled or stopped, not failed' },
  'before-deploying-stages': { loud: false, headline: 'failed before any deploying stage, nothing changed' },
};

export function renderRollbackSkipped(d: RollbackSkipped, ctx: RenderContext): Notice {
  if (d.reason === 'codedeploy-report') return renderCodeDeployReport(d, ctx);
  const reason = reasons[d.reason];
  const where = [d.failedStage, d.failedAction].filter(Boolean).join(' / ');
  const target = d.targetExecutionId
    ? [
        `The known good release was ${shortCommit(d.targetCommitId)} (execution \`${shortExecution(d.targetExecutionId)}\`).`,
      ]
    : [];
  return {
    mode: d.mode,
    icon: reason.loud ? ':rotating_light:' : ':information_source:',
    headline: d.requestedBy
      ? `rollback-now of ${d.pipeline} by ${esc(d.requestedBy.by)}: nothing restored`
      : `No rollback of ${d.pipeline} ${shortCommit(d.commitId)}: ${reason.headline}`,
    why: [
      ...(d.requestedBy ? [`Asked to roll back now: ${esc(d.requestedBy.reason)}.`] : []),
      esc(d.detail),
      ...(where && d.executionId && !d.requestedBy
        ? [`Execution \`${shortExecution(d.executionId)}\` failed in ${where}.`]
        : []),
      ...target,
    ],
    next: reason.loud
      ? [
          'The guard does nothing more. *A person must restore Prod*: release a known good commit, or fix forward.',
        ]
      : ['Nothing to do for the guard; look at the execution if the failure surprises you.'],
    links: [
      ...(d.executionId ? executionLink(ctx.region, d.pipeline, d.executionId) : []),
      ...(d.targetExecutionId
        ? executionLink(ctx.region, d.pipeline, d.targetExecutionId, 'known good execution')
        : []),
    ],
    commit: { id: d.commitId },
  };
}

/** A deployment in a configured CodeDeploy group failed: say whether CodeDeploy restored the group itself. */
function renderCodeDeployReport(d: RollbackSkipped, ctx: RenderContext): Notice {
  const cd = d.codeDeploy;
  const group = cd ? `${cd.application}/${cd.deploymentGroup}` : 'a configured group';
  const rolledBack = d.codeDeployRolledBack === true;
  return {
    mode: d.mode,
    icon: rolledBack ? ':information_source:' : ':rotating_light:',
    headline: `CodeDeploy deployment failed in ${group} (${d.pipeline})`,
    why: [
      esc(d.detail),
      ...(cd?.error ? [`CodeDeploy says: ${esc(cd.error)}`] : []),
      rolledBack
        ? `CodeDeploy rolled the group back itself${cd?.rollbackDeploymentId ? ` (deployment ${cd.rollbackDeploymentId})` : ''}.`
        : 'CodeDeploy did not roll the group back.',
    ],
    next: [
      'If the pipeline execution failed too, the guard restores the last known good release from that failure.',
      ...(rolledBack
        ? []
        : ['Otherwise *a person must decide*: redeploy the last good revision or fix forward.']),
    ],
    links: [
      ...(cd ? codeDeployLink(ctx.region, cd.deploymentId) : []),
      ...(cd?.rollbackDeploymentId ? codeDeployLink(ctx.region, cd.rollbackDeploymentId) : []),
    ],
    commit: { id: d.commitId },
  };
}
