import {
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  type DeploymentInfo,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { ACCOUNT, REGION } from './aws-event';
import type { EcsServiceSpec } from './ecs-world';
import type { World } from './world';

/** A deployment a scenario declares as it is (the CodeDeploy failure report reads it with GetDeployment). */
export type DeploymentSpec = {
  id: string;
  application: string;
  deploymentGroup: string;
  status: 'Succeeded' | 'Failed' | 'Stopped' | 'InProgress';
  error?: string;
  /** CodeDeploy's automatic rollback: the deployment it started to redeploy the last good revision. */
  rollbackDeploymentId?: string;
  /** How that rollback deployment ended (it is declared too, with `rollbackTriggeringDeploymentId`). */
  rollbackStatus?: 'Succeeded' | 'Failed' | 'InProgress';
};

type Group = {
  application: string;
  name: string;
  service: EcsServiceSpec;
  lastSuccessful?: string;
  lastAttempted?: string;
};
const meta = { $metadata: {} };

/** The original deployment's `rollbackMessage`: how its rollback went. */
function rollbackOutcome(rollbackId: string, status: DeploymentSpec['rollbackStatus'] = 'Succeeded'): string {
  if (status === 'Failed') return `Automatic rollback deployment ${rollbackId} failed`;
  if (status === 'InProgress') return `Automatic rollback deployment ${rollbackId} is in progress`;
  return `Automatic rollback deployment ${rollbackId} succeeded`;
}

/**
 * CodeDeploy for blue/green ECS services: every group starts with one successful deployment of an AppSpec
 * revision; a new deployment ends after the service's minutes (SUCCESS, FAILURE, or never) with an event.
 */
export class CodeDeployModel {
  readonly groups = new Map<string, Group>();
  readonly deployments = new Map<string, DeploymentInfo>();
  #seq = 0;

  constructor(private readonly world: World) {}

  addService(service: EcsServiceSpec): void {
    const cd = service.codeDeploy;
    if (!cd) return;
    const group: Group = { application: cd.application, name: cd.deploymentGroup, service };
    this.groups.set(`${cd.application}/${cd.deploymentGroup}`, group);
    const revision: RevisionLocation = {
      revisionType: 'AppSpecContent',
      appSpecContent: {
        content: JSON.stringify({
          version: 0.0,
          Resources: [
            {
              TargetService: {
                Type: 'AWS::ECS::Service',
                Properties: { TaskDefinition: `${service.service}:7` },
              },
            },
          ],
        }),
      },
    };
    const first = this.record(group, revision, 'Succeeded');
    group.lastSuccessful = first.deploymentId;
    this.world.ecs.setPrimaryTaskSet(service.cluster, service.service, first.deploymentId!);
  }

  /**
   * A declared deployment; one CodeDeploy rolled back automatically comes with its rollback deployment, each
   * pointing at the other in `rollbackInfo` as GetDeployment shows them.
   */
  declare(spec: DeploymentSpec): void {
    const rollback = spec.rollbackDeploymentId;
    this.deployments.set(spec.id, {
      deploymentId: spec.id,
      applicationName: spec.application,
      deploymentGroupName: spec.deploymentGroup,
      status: spec.status,
      creator: 'user',
      errorInformation: spec.error ? { code: 'HEALTH_CONSTRAINTS', message: spec.error } : undefined,
      rollbackInfo: rollback
        ? { rollbackDeploymentId: rollback, rollbackMessage: rollbackOutcome(rollback, spec.rollbackStatus) }
        : undefined,
    });
    if (!rollback) return;
    const failed = spec.rollbackStatus === 'Failed';
    this.deployments.set(rollback, {
      deploymentId: rollback,
      applicationName: spec.application,
      deploymentGroupName: spec.deploymentGroup,
      status: spec.rollbackStatus ?? 'Succeeded',
      creator: 'codeDeployRollback',
      errorInformation: failed
        ? { code: 'HEALTH_CONSTRAINTS', message: 'The rollback deployment failed its health checks' }
        : undefined,
      rollbackInfo: {
        rollbackTriggeringDeploymentId: spec.id,
        rollbackMessage: `Automatic rollback of deployment ${spec.id}`,
      },
    });
  }

  get(deploymentId: string, account: string = ACCOUNT): DeploymentInfo {
    const d = this.deployments.get(deploymentId);
    const g = d && this.groups.get(`${d.applicationName}/${d.deploymentGroupName}`);
    if (!d || (g ? (g.service.account ?? ACCOUNT) : ACCOUNT) !== account)
      throw new DeploymentDoesNotExistException({
        message: `Deployment ${deploymentId} does not exist`,
        ...meta,
      });
    return d;
  }

  groupInfo(application: string, name: string, account: string = ACCOUNT) {
    const g = this.group(application, name, account);
    return {
      applicationName: g.application,
      deploymentGroupName: g.name,
      computePlatform: 'ECS' as const,
      ecsServices: [{ clusterName: g.service.cluster, serviceName: g.service.service }],
      lastSuccessfulDeployment: g.lastSuccessful
        ? { deploymentId: g.lastSuccessful, status: 'Succeeded' as const }
        : undefined,
      lastAttemptedDeployment: g.lastAttempted
        ? {
            deploymentId: g.lastAttempted,
            status: this.deployments.get(g.lastAttempted)?.status,
            createTime: this.deployments.get(g.lastAttempted)?.createTime,
          }
        : undefined,
    };
  }

  create(application: string, name: string, revision: RevisionLocation, account: string = ACCOUNT): string {
    const g = this.group(application, name, account);
    const d = this.record(g, revision, 'InProgress');
    const id = d.deploymentId!;
    g.lastAttempted = id;
    this.world.note(`CodeDeploy ${application}/${name} starts deployment ${id}`);
    this.world.clock.schedule(this.world.clock.nowMs() + g.service.minutes * 60_000, () => {
      if (g.service.outcome === 'hang') return this.world.note(`CodeDeploy deployment ${id} never ends`);
      const ok = g.service.outcome === 'complete';
      d.status = ok ? 'Succeeded' : 'Failed';
      if (ok) {
        g.lastSuccessful = id;
        this.world.ecs.setPrimaryTaskSet(g.service.cluster, g.service.service, id);
      } else {
        d.errorInformation = {
          code: 'HEALTH_CONSTRAINTS',
          message: 'The replacement task set failed its health checks',
        };
      }
      this.stateEvent(g, id, ok ? 'SUCCESS' : 'FAILURE');
      if (g.service.outcome === 'rollback') this.rollBack(g, d);
    });
    return id;
  }

  /** Automatic rollback: a new deployment of the last good revision, created by CodeDeploy, that succeeds. */
  private rollBack(g: Group, failed: DeploymentInfo): void {
    const good = g.lastSuccessful ? this.deployments.get(g.lastSuccessful) : undefined;
    const r = this.record(g, good?.revision ?? failed.revision!, 'Succeeded');
    r.creator = 'codeDeployRollback';
    r.rollbackInfo = {
      rollbackTriggeringDeploymentId: failed.deploymentId,
      rollbackMessage: `Automatic rollback of deployment ${failed.deploymentId}`,
    };
    failed.rollbackInfo = {
      rollbackDeploymentId: r.deploymentId,
      rollbackMessage: rollbackOutcome(r.deploymentId!, 'Succeeded'),
    };
    g.lastSuccessful = r.deploymentId;
    this.world.note(`CodeDeploy rolls ${g.application}/${g.name} back with ${r.deploymentId}`);
    this.stateEvent(g, r.deploymentId!, 'SUCCESS');
  }

  private stateEvent(g: Group, deploymentId: string, state: 'SUCCESS' | 'FAILURE'): void {
    const account = g.service.account ?? ACCOUNT;
    this.world.awsEventIn(
      account,
      'aws.codedeploy',
      'CodeDeploy Deployment State-change Notification',
      [
        `arn:aws:codedeploy:${REGION}:${account}:application:${g.application}`,
        `arn:aws:codedeploy:${REGION}:${account}:deploymentgroup:${g.application}/${g.name}`,
      ],
      { region: REGION, application: g.application, deploymentId, state, deploymentGroup: g.name },
    );
  }

  private record(g: Group, revision: RevisionLocation, status: DeploymentInfo['status']): DeploymentInfo {
    this.#seq += 1;
    const info: DeploymentInfo = {
      deploymentId: `d-SIM${String(this.#seq).padStart(6, '0')}`,
      applicationName: g.application,
      deploymentGroupName: g.name,
      computePlatform: 'ECS',
      revision,
      status,
      creator: 'user',
      createTime: this.world.clock.now(),
    };
    this.deployments.set(info.deploymentId!, info);
    return info;
  }

  private group(application: string, name: string, account: string = ACCOUNT): Group {
    const g = this.groups.get(`${application}/${name}`);
    if (!g || (g.service.account ?? ACCOUNT) !== account)
      throw new DeploymentGroupDoesNotExistException({
        message: `No deployment group ${application}/${name}`,
        ...meta,
      });
    return g;
  }
}
