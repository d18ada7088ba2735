import type { RollbackSkipped } from '../../events/guard/rollback-skipped';
import type { DeploymentFacts } from '../../lib/aws/codedeploy';

export type CodeDeployFailure = { pipeline: string; application: string; deploymentGroup: string };

/**
 * A deployment failed in a deployment group the pipeline deploys through. CodeDeploy may have rolled the group
 * back itself (automatic rollback); the guard only reports which, since the pipeline-level restore already
 * runs from the pipeline's own failure.
 */
export function decideCodeDeployReport(
  failure: CodeDeployFailure,
  deployment: DeploymentFacts,
): Omit<RollbackSkipped, 'mode'> {
  const where = `${failure.application}/${failure.deploymentGroup}`;
  const error = deployment.error ? ` (${deployment.error})` : '';
  const selfRollback = selfRollbackOf(deployment);
  const failed = `Deployment ${deployment.deploymentId} failed in ${where}${error}`;
  const detail = deployment.rollbackOf
    ? `CodeDeploy's own rollback ${deployment.deploymentId} of ${deployment.rollbackOf} failed in ${where}${error}: the group may run a broken revision; redeploy by hand.`
    : selfRollback === 'failed'
      ? `${failed}; CodeDeploy's own rollback ${deployment.rollbackDeploymentId} failed too (${deployment.rollbackMessage}): the group may run a broken revision; redeploy by hand.`
      : selfRollback === 'in-progress'
        ? `${failed}; CodeDeploy is rolling back itself with ${deployment.rollbackDeploymentId} (in progress): its outcome is reported when it ends.`
        : selfRollback === 'succeeded'
          ? `${failed}; CodeDeploy rolled back itself with ${deployment.rollbackDeploymentId}.`
          : selfRollback === 'started'
            ? `${failed}; CodeDeploy started its own rollback ${deployment.rollbackDeploymentId}${deployment.rollbackMessage ? ` (CodeDeploy says: ${deployment.rollbackMessage})` : ''}; its outcome is reported when it ends.`
            : `${failed}; CodeDeploy did not roll back (no automatic rollback configured). The pipeline's failure triggers the guard's restore.`;
  return {
    pipeline: failure.pipeline,
    reason: 'codedeploy-report',
    detail,
    codeDeployRolledBack:
      selfRollback === 'succeeded' || selfRollback === 'in-progress' || selfRollback === 'started',
    codeDeploy: {
      application: failure.application,
      deploymentGroup: failure.deploymentGroup,
      deploymentId: deployment.deploymentId,
      rollbackDeploymentId: deployment.rollbackDeploymentId,
      rollbackOf: deployment.rollbackOf,
      error: deployment.error,
    },
  };
}

/**
 * How CodeDeploy's own rollback of a failed deployment went, from `rollbackInfo`: its id says one was started,
 * its `rollbackMessage` (documented as saying whether the deployment can't be rolled back, or its rollback is in
 * progress, failed or succeeded) how it went. Only a message about the rollback counts: "Deployment failed" is
 * the deployment's own failure. A message not recognised, with an id: started, outcome to come.
 */
function selfRollbackOf(d: DeploymentFacts): 'none' | 'failed' | 'in-progress' | 'succeeded' | 'started' {
  if (!d.rollbackDeploymentId) return 'none';
  const message = d.rollbackMessage ?? '';
  if (/roll(ed|ing)?\s*back\b[^.]*\bfail/i.test(message)) return 'failed';
  if (/in progress/i.test(message)) return 'in-progress';
  if (/succe/i.test(message)) return 'succeeded';
  return 'started';
}
