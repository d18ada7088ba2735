import type { GuardConfig, GuardedPipeline } from '../../config/schema';
import type { ServiceFacts } from '../../lib/aws/ecs';

export type TileTarget = { cluster: string; service: string };

/** How one service is restarted, read from its deployment controller (never configured). */
export type RestartPlan =
  | { kind: 'force-new-deployment' }
  | { kind: 'redeploy-last-successful'; currentDeploymentId: string }
  | { kind: 'cannot-restart'; reason: 'unsupported-controller' | 'start-failed'; detail: string };

/** The tile services to restart when `stage` of `pipeline` succeeded, or none when it is not Prod. */
export function tileTargets(pipeline: GuardedPipeline, stage: string, state: string): TileTarget[] {
  if (stage !== pipeline.prodStage || state !== 'SUCCEEDED') return [];
  return pipeline.tileServices.flatMap((t) => t.services.map((service) => ({ cluster: t.cluster, service })));
}

/**
 * What the configuration says of the service (config/schema.ts `tileCodeDeployGroup`): the guard may deploy only
 * to the deployment group configured for it, the one its IAM role is scoped to.
 */
export type ConfiguredTileService = {
  group: { application: string; deploymentGroup: string } | undefined;
  configKey: string;
};

/** `configured` absent: the configuration is not consulted (IAM still refuses an unconfigured group). */
export function decideRestart(service: ServiceFacts, configured?: ConfiguredTileService): RestartPlan {
  switch (service.controller) {
    case 'ECS':
      return { kind: 'force-new-deployment' };
    case 'CODE_DEPLOY':
      if (configured && !configured.group) {
        return {
          kind: 'cannot-restart',
          reason: 'start-failed',
          detail:
            `blue/green service has no CodeDeploy deployment group configured (${configured.configKey}: ` +
            `{ application, deploymentGroup }); the guard may deploy only to configured groups, restart it by hand`,
        };
      }
      return service.primaryCodeDeployId
        ? { kind: 'redeploy-last-successful', currentDeploymentId: service.primaryCodeDeployId }
        : {
            kind: 'cannot-restart',
            reason: 'start-failed',
            detail:
              'blue/green service has no PRIMARY task set created by CodeDeploy to find its deployment group',
          };
    default:
      return {
        kind: 'cannot-restart',
        reason: 'unsupported-controller',
        detail: `deployment controller ${service.controller} cannot be restarted by the guard; restart it by hand`,
      };
  }
}

/** When an unfinished restart is reported as timed out; whole seconds, as a one-time schedule needs. */
export function restartDeadline(
  startedAt: Date,
  config: Pick<GuardConfig, 'tileRestartTimeoutMinutes'>,
): Date {
  const deadline = startedAt.getTime() + config.tileRestartTimeoutMinutes * 60_000;
  return new Date(Math.ceil(deadline / 1000) * 1000);
}
