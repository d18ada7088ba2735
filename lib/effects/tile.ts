import type { EffectSpec, Executor } from '../act/intent';
import type { CodeDeployGateway } from '../aws/codedeploy';
import type { EcsGateway } from '../aws/ecs';
import type { TileLedger, TileRestartRecord } from '../aws/tile-ledger';

type RestartParams = {
  cluster: string;
  service: string;
  /** ECS: force a new deployment; CODE_DEPLOY: redeploy the group's last successful revision. */
  how: 'force-new-deployment' | 'redeploy-last-successful';
  /** CODE_DEPLOY: the deployment behind the PRIMARY task set, which names the deployment group. */
  currentDeploymentId?: string;
  description: string;
};

type RecordParams = Omit<TileRestartRecord, 'deploymentId'>;

export function restartServiceEffect(params: RestartParams): EffectSpec {
  return {
    id: 'restart',
    kind: 'restart-service',
    call: params.how === 'force-new-deployment' ? 'ecs.UpdateService' : 'codedeploy.CreateDeployment',
    resource: `ECS service ${params.cluster}/${params.service}`,
    params,
    essential: true,
  };
}

/** Remembers the deployment, so the follow-up events (which name only the deployment) find the restart. */
export function recordDeploymentEffect(params: RecordParams): EffectSpec {
  return {
    id: 'record-deployment',
    kind: 'record-deployment',
    call: 'dynamodb.PutItem',
    resource: `the guard's record of the restart of ${params.cluster}/${params.service}`,
    params,
    requires: ['restart'],
  };
}

export type TileEffectDeps = {
  ecs: Pick<EcsGateway, 'forceNewDeployment' | 'deploymentSince'>;
  codedeploy: Pick<CodeDeployGateway, 'groupOf' | 'lastSuccessfulRevision' | 'redeploy' | 'deploymentSince'>;
  tiles: Pick<TileLedger, 'recordStarted'>;
};

/**
 * Neither UpdateService nor CreateDeployment has an idempotency token: a retry recognises the restart an earlier
 * attempt started by a deployment created after the intent was recorded.
 */
export function tileExecutors(deps: TileEffectDeps): Record<string, Executor> {
  const restart: Executor = {
    async apply(p: RestartParams) {
      if (p.how === 'force-new-deployment') {
        return {
          kind: 'done',
          fields: { deploymentId: await deps.ecs.forceNewDeployment(p.cluster, p.service) },
        };
      }
      const group = await deps.codedeploy.groupOf(p.currentDeploymentId ?? '');
      const revision = await deps.codedeploy.lastSuccessfulRevision(group);
      return {
        kind: 'done',
        fields: { deploymentId: await deps.codedeploy.redeploy(group, revision, p.description) },
      };
    },
    async recognise(p: RestartParams, ctx) {
      const id =
        p.how === 'force-new-deployment'
          ? await deps.ecs.deploymentSince(p.cluster, p.service, ctx.since)
          : await deps.codedeploy.deploymentSince(
              await deps.codedeploy.groupOf(p.currentDeploymentId ?? ''),
              ctx.since,
            );
      return id ? { kind: 'done', fields: { deploymentId: id } } : 'absent';
    },
    remedy: (p: RestartParams) =>
      `restart ${p.cluster}/${p.service} by hand (ECS console: Update service → Force new deployment)`,
  };
  const record: Executor = {
    async apply(p: RecordParams, ctx) {
      await deps.tiles.recordStarted({ ...p, deploymentId: String(ctx.prior.deploymentId ?? '') });
      return { kind: 'done' };
    },
    remedy: (p: RecordParams) =>
      `the restart of ${p.cluster}/${p.service} runs; tile-follow records it from this announcement, so its end is still reported (else check it in the ECS console)`,
  };
  return { 'restart-service': restart, 'record-deployment': record };
}
