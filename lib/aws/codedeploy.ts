import { GetDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';

export type CodeDeploySender = Pick<CodeDeployClient, 'send'>;

/** What a failed deployment says about itself, and about CodeDeploy's own automatic rollback. */
export type DeploymentFacts = {
  deploymentId: string;
  status?: string;
  /** The deployment CodeDeploy started to redeploy the last good revision. */
  rollbackDeploymentId?: string;
  /** Set when this deployment is itself CodeDeploy's rollback of another one. */
  rollbackOf?: string;
  rollbackMessage?: string;
  error?: string;
};

export function makeCodeDeployReader(client: CodeDeploySender) {
  return {
    async getDeployment(deploymentId: string): Promise<DeploymentFacts> {
      const { deploymentInfo: d } = await client.send(new GetDeploymentCommand({ deploymentId }));
      return {
        deploymentId,
        status: d?.status,
        rollbackDeploymentId: d?.rollbackInfo?.rollbackDeploymentId,
        rollbackOf: d?.rollbackInfo?.rollbackTriggeringDeploymentId,
        rollbackMessage: d?.rollbackInfo?.rollbackMessage,
        error: d?.errorInformation?.message,
      };
    },
  };
}

export type CodeDeployReader = ReturnType<typeof makeCodeDeployReader>;
