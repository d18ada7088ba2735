import { DeploymentDoesNotExistException, type GetDeploymentInput } from '@aws-sdk/client-codedeploy';

export type DeploymentSpec = {
  id: string;
  application: string;
  deploymentGroup: string;
  status: 'Succeeded' | 'Failed' | 'Stopped' | 'InProgress';
  error?: string;
  /** CodeDeploy's automatic rollback: the deployment it started to redeploy the last good revision. */
  rollbackDeploymentId?: string;
};

/** The CodeDeploy deployments a scenario declares (GetDeployment). */
export class DeploymentsModel {
  private readonly deployments = new Map<string, DeploymentSpec>();

  add(spec: DeploymentSpec): void {
    this.deployments.set(spec.id, spec);
  }

  get(i: GetDeploymentInput) {
    const d = this.deployments.get(i.deploymentId ?? '');
    if (!d)
      throw new DeploymentDoesNotExistException({
        message: `No deployment ${i.deploymentId}`,
        $metadata: {},
      });
    return {
      deploymentInfo: {
        deploymentId: d.id,
        applicationName: d.application,
        deploymentGroupName: d.deploymentGroup,
        status: d.status,
        errorInformation: d.error ? { code: 'HEALTH_CONSTRAINTS' as const, message: d.error } : undefined,
        rollbackInfo: d.rollbackDeploymentId ? { rollbackDeploymentId: d.rollbackDeploymentId } : undefined,
      },
    };
  }
}
