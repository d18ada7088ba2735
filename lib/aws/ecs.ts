import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';

export type EcsSender = Pick<ECSClient, 'send'>;

/** What a restart needs to know about a service before touching it. */
export type ServiceFacts = {
  serviceArn: string;
  /** ECS (rolling), CODE_DEPLOY (blue/green) or EXTERNAL; ECS when the service does not say. */
  controller: string;
  /** CODE_DEPLOY only: the CodeDeploy deployment that created the task set serving traffic. */
  primaryCodeDeployId?: string;
};

/** Lambda's clock and the service's may differ a little. */
const CLOCK_SKEW_MS = 5_000;

export class ServiceNotFoundError extends Error {
  override name = 'ServiceNotFoundError';
}

export class NoPrimaryDeploymentError extends Error {
  override name = 'NoPrimaryDeploymentError';
}

export function makeEcsGateway(client: EcsSender) {
  return {
    async describeService(cluster: string, service: string): Promise<ServiceFacts> {
      const out = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
      const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
      if (!found?.serviceArn || found.status === 'INACTIVE') {
        const why = out.failures?.[0]?.reason ?? found?.status ?? 'not returned';
        throw new ServiceNotFoundError(`ECS service ${cluster}/${service}: ${why}`);
      }
      return {
        serviceArn: found.serviceArn,
        controller: found.deploymentController?.type ?? 'ECS',
        // A CodeDeploy-created task set carries the CodeDeploy deployment id as its externalId.
        primaryCodeDeployId: found.taskSets?.find((t) => t.status === 'PRIMARY')?.externalId || undefined,
      };
    },

    /** The PRIMARY deployment, if it was created at or after `since`: a restart an earlier attempt started. */
    async deploymentSince(cluster: string, service: string, since: Date): Promise<string | undefined> {
      const out = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
      const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
      const primary = found?.deployments?.find((d) => d.status === 'PRIMARY');
      return primary?.id &&
        primary.createdAt &&
        primary.createdAt.getTime() >= since.getTime() - CLOCK_SKEW_MS
        ? primary.id
        : undefined;
    },

    /** Same task definition, new tasks: returns the id of the new PRIMARY deployment (ecs-svc/…). */
    async forceNewDeployment(cluster: string, service: string): Promise<string> {
      const out = await client.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
      const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
      if (!primary)
        throw new NoPrimaryDeploymentError(
          `UpdateService of ${cluster}/${service} returned no PRIMARY deployment`,
        );
      return primary;
    },
  };
}

export type EcsGateway = ReturnType<typeof makeEcsGateway>;
