import { ServiceNotFoundException, type Deployment, type Service } from '@aws-sdk/client-ecs';
import { ACCOUNT, REGION } from './aws-event';
import type { World } from './world';

/** How a deployment of this service ends, `minutes` after it starts. `hang` never ends. */
export type DeploymentOutcome = 'complete' | 'fail' | 'rollback' | 'hang';

export type EcsServiceSpec = {
  cluster: string;
  /** The account it runs in (default: the guard's own). */
  account?: string;
  service: string;
  controller: string;
  minutes: number;
  outcome: DeploymentOutcome;
  /** CODE_DEPLOY services: the CodeDeploy application and deployment group that deploy them. */
  codeDeploy?: { application: string; deploymentGroup: string };
};

type ServiceRuntime = {
  spec: EcsServiceSpec;
  deployments: Deployment[];
  /** CODE_DEPLOY: the CodeDeploy deployment whose task set serves traffic. */
  primaryExternalId?: string;
};

const meta = { $metadata: {} };

/** ECS services with a deployment controller; rolling deployments end after a configured time with events. */
export class EcsModel {
  readonly services = new Map<string, ServiceRuntime>();
  #seq = 0;

  constructor(private readonly world: World) {}

  add(spec: EcsServiceSpec): void {
    this.services.set(`${spec.cluster}/${spec.service}`, {
      spec,
      deployments: [this.newDeployment('PRIMARY', 'COMPLETED')],
    });
  }

  arnOf(spec: Pick<EcsServiceSpec, 'cluster' | 'service' | 'account'>): string {
    return `arn:aws:ecs:${REGION}:${spec.account ?? ACCOUNT}:service/${spec.cluster}/${spec.service}`;
  }

  /** A service as one account sees it: another account's service of the same name is not there. */
  private inAccount(cluster: string, service: string, account: string): ServiceRuntime | undefined {
    const s = this.services.get(`${cluster}/${service}`);
    return s && (s.spec.account ?? ACCOUNT) === account ? s : undefined;
  }

  describe(
    cluster: string,
    names: string[],
    account: string = ACCOUNT,
  ): { services: Service[]; failures: { arn: string; reason: string }[] } {
    const found = names.map((n) => this.inAccount(cluster, n, account));
    return {
      services: found.flatMap((s) => (s ? [this.view(s)] : [])),
      failures: names
        .filter((_, i) => !found[i])
        .map((n) => ({ arn: this.arnOf({ cluster, service: n, account }), reason: 'MISSING' })),
    };
  }

  /** UpdateService(forceNewDeployment): a new PRIMARY deployment replaces the running one. */
  forceNewDeployment(cluster: string, service: string, account: string = ACCOUNT): { service: Service } {
    const s = this.inAccount(cluster, service, account);
    if (!s) throw new ServiceNotFoundException({ message: 'Service not found.', ...meta });
    if (s.spec.controller !== 'ECS')
      throw new Error(`simulator: ${service} is not deployed by the ECS controller`);
    for (const d of s.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    const deployment = this.newDeployment('PRIMARY', 'IN_PROGRESS');
    s.deployments.unshift(deployment);
    this.world.note(`ECS ${cluster}/${service} starts deployment ${deployment.id}`);
    this.deploymentEvent(
      s,
      deployment.id!,
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'INFO',
      `ECS deployment ${deployment.id} in progress.`,
    );
    this.world.clock.schedule(this.world.clock.nowMs() + s.spec.minutes * 60_000, () =>
      this.finish(s, deployment),
    );
    return { service: this.view(s) };
  }

  /** CodeDeploy replaced the service's primary task set. */
  setPrimaryTaskSet(cluster: string, service: string, externalId: string): void {
    const s = this.services.get(`${cluster}/${service}`);
    if (s) s.primaryExternalId = externalId;
  }

  private finish(s: ServiceRuntime, deployment: Deployment): void {
    const id = deployment.id!;
    const { outcome } = s.spec;
    if (outcome === 'hang') return this.world.note(`ECS deployment ${id} never reaches a steady state`);
    deployment.rolloutState = outcome === 'complete' ? 'COMPLETED' : 'FAILED';
    if (outcome === 'complete') {
      // Once the new deployment is steady, the ones it replaced are completely replaced.
      for (const d of s.deployments) if (d !== deployment && d.status === 'ACTIVE') d.status = 'INACTIVE';
      this.deploymentEvent(s, id, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO', `ECS deployment ${id} completed.`);
      return;
    }
    const why = 'ECS deployment circuit breaker: task failed to start.';
    if (outcome === 'rollback') {
      const back = s.deployments.find((d) => d !== deployment)?.id ?? 'ecs-svc/0';
      this.deploymentEvent(
        s,
        id,
        'SERVICE_DEPLOYMENT_IN_PROGRESS',
        'INFO',
        `ECS deployment circuit breaker: rolling back to deploymentId ${back}.`,
      );
    }
    this.deploymentEvent(s, id, 'SERVICE_DEPLOYMENT_FAILED', 'ERROR', why);
  }

  private deploymentEvent(
    s: ServiceRuntime,
    id: string,
    eventName: string,
    eventType: string,
    reason: string,
  ): void {
    this.world.awsEventIn(s.spec.account, 'aws.ecs', 'ECS Deployment State Change', [this.arnOf(s.spec)], {
      eventType,
      eventName,
      deploymentId: id,
      updatedAt: this.world.clock.now().toISOString(),
      reason,
    });
  }

  private newDeployment(status: string, rolloutState: Deployment['rolloutState']): Deployment {
    this.#seq += 1;
    const id = `ecs-svc/46116860184273${String(this.#seq).padStart(5, '0')}`;
    return { id, status, rolloutState, createdAt: this.world.clock.now() };
  }

  private view(s: ServiceRuntime): Service {
    return {
      serviceArn: this.arnOf(s.spec),
      serviceName: s.spec.service,
      clusterArn: `arn:aws:ecs:${REGION}:${s.spec.account ?? ACCOUNT}:cluster/${s.spec.cluster}`,
      status: 'ACTIVE',
      deploymentController: { type: s.spec.controller as 'ECS' },
      deployments: s.spec.controller === 'ECS' ? s.deployments.map((d) => ({ ...d })) : undefined,
      taskSets: s.primaryExternalId
        ? [{ id: `ecs-svc/${s.primaryExternalId}`, status: 'PRIMARY', externalId: s.primaryExternalId }]
        : undefined,
    };
  }
}
