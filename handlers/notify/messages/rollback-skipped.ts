import type { RollbackSkipped } from '../../../events/guard/rollback-skipped';
import { executionLink } from './console-links';
import { esc, shortCommit, shortExecution, type Notice, type RenderContext } from './notice';

type Reason = RollbackSkipped['reason'];

/** Why no rollback, in a person's words; `loud` when the release stays broken until someone acts. */
const reasons: Record<Reason, { loud: boolean; headline: string }> = {
  'no-known-good-release': { loud: true, headline: 'no known good release to restore' },
  'rollback-of-rollback': { loud: true, headline: 'the failed execution was itself a rollback' },
  'target-is-failing-commit': { loud: true, headline: 'the last known good release is the failing commit' },
  'rollback-failed': { loud: true, headline: 'the rollback itself failed' },
  'guard-rejection': { loud: false, headline: "the guard's own gate rejection, not a failed deploy" },
  'not-a-failure': { loud: false, headline: 'superseded, cancelled or stopped, not failed' },
  'before-deploying-stages': { loud: false, headline: 'failed before any deploying stage, nothing changed' },
  'codedeploy-report': { loud: false, headline: 'a CodeDeploy deployment failed' },
};

export function renderRollbackSkipped(d: RollbackSkipped, ctx: RenderContext): Notice {
  const reason = reasons[d.reason];
  const where = [d.failedStage, d.failedAction].filter(Boolean).join(' / ');
  const rolledBack =
    d.codeDeployRolledBack === undefined
      ? []
      : [
          d.codeDeployRolledBack
            ? 'CodeDeploy rolled the deployment group back itself.'
            : 'CodeDeploy did not roll back.',
        ];
  return {
    mode: d.mode,
    icon: reason.loud ? ':rotating_light:' : ':information_source:',
    headline: `No rollback of ${d.pipeline} ${shortCommit(d.commitId)}: ${reason.headline}`,
    why: [
      `${esc(d.detail)}`,
      ...(where ? [`Execution \`${shortExecution(d.executionId)}\` failed in ${where}.`] : []),
      ...rolledBack,
    ],
    next: reason.loud
      ? [
          'The guard does nothing more. *A person must restore Prod*: release a known good commit, or fix forward.',
        ]
      : ['Nothing to do for the guard; look at the execution if the failure surprises you.'],
    links: executionLink(ctx.region, d.pipeline, d.executionId),
    commit: { id: d.commitId },
  };
}
