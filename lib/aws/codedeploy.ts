import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type CodeDeployClient,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';

export type CodeDeploySender = Pick<CodeDeployClient, 'send'>;

export type DeploymentGroupRef = { application: string; deploymentGroup: string };

export class NoRedeployableRevisionError extends Error {
  override name = 'NoRedeployableRevisionError';
}

/** Blue/green tile services: redeploy what CodeDeploy last deployed successfully to the same group. */
export function makeCodeDeployGateway(client: CodeDeploySender) {
  const getDeployment = async (deploymentId: string) => {
    const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId }));
    if (!deploymentInfo)
      throw new NoRedeployableRevisionError(`CodeDeploy returned no deployment ${deploymentId}`);
    return deploymentInfo;
  };
  return {
    /** The application and deployment group a deployment (e.g. the service's primary task set's) belongs to. */
    async groupOf(deploymentId: string): Promise<DeploymentGroupRef> {
      const info = await getDeployment(deploymentId);
      if (!info.applicationName || !info.deploymentGroupName) {
        throw new NoRedeployableRevisionError(
          `CodeDeploy deployment ${deploymentId} names no deployment group`,
        );
      }
      return { application: info.applicationName, deploymentGroup: info.deploymentGroupName };
    },

    async lastSuccessfulRevision(group: DeploymentGroupRef): Promise<RevisionLocation> {
      const { deploymentGroupInfo } = await client.send(
        new GetDeploymentGroupCommand({
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
        }),
      );
      const last = deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId;
      if (!last) {
        throw new NoRedeployableRevisionError(
          `Deployment group ${group.application}/${group.deploymentGroup} has no successful deployment`,
        );
      }
      const { revision } = await getDeployment(last);
      if (!revision) throw new NoRedeployableRevisionError(`CodeDeploy deployment ${last} has no revision`);
      return revision;
    },

    /** The group's last attempted deployment, if it was created at or after `since` (an earlier attempt's). */
    async deploymentSince(group: DeploymentGroupRef, since: Date): Promise<string | undefined> {
      const { deploymentGroupInfo } = await client.send(
        new GetDeploymentGroupCommand({
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
        }),
      );
      const last = deploymentGroupInfo?.lastAttemptedDeployment;
      return last?.deploymentId && last.createTime && last.createTime.getTime() >= since.getTime() - 5_000
        ? last.deploymentId
        : undefined;
    },

    /** Returns the new deployment's id (d-…). */
    async redeploy(
      group: DeploymentGroupRef,
      revision: RevisionLocation,
      description: string,
    ): Promise<string> {
      const { deploymentId } = await client.send(
        new CreateDeploymentCommand({
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
          revision,
          description: description.slice(0, 1000),
        }),
      );
      if (!deploymentId) throw new NoRedeployableRevisionError('CreateDeployment returned no deployment id');
      return deploymentId;
    },
  };
}

export type CodeDeployGateway = ReturnType<typeof makeCodeDeployGateway>;
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
