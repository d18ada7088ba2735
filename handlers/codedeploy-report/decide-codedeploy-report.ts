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
  const detail = deployment.rollbackOf
    ? `CodeDeploy's own rollback ${deployment.deploymentId} of ${deployment.rollbackOf} failed in ${where}${error}: the group may run a broken revision; redeploy by hand.`
    : deployment.rollbackDeploymentId
      ? `Deployment ${deployment.deploymentId} failed in ${where}${error}; CodeDeploy rolled back itself with ${deployment.rollbackDeploymentId}.`
      : `Deployment ${deployment.deploymentId} failed in ${where}${error}; CodeDeploy did not roll back (no automatic rollback configured). The pipeline's failure triggers the guard's restore.`;
  return {
    pipeline: failure.pipeline,
    reason: 'codedeploy-report',
    detail,
    codeDeployRolledBack: deployment.rollbackDeploymentId !== undefined,
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
