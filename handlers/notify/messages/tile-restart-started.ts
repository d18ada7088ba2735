import type { TileRestartStarted } from '../../../events/guard/tile-restart-started';
import { ecsServiceLink, executionLink } from './console-links';
import { shortCommit, utc, type Notice, type RenderContext } from './notice';

export function renderTileRestartStarted(d: TileRestartStarted, ctx: RenderContext): Notice {
  const how =
    d.controller === 'CODE_DEPLOY'
      ? 'a CodeDeploy deployment of its current task definition'
      : 'a new ECS deployment of its current task definition (forceNewDeployment)';
  return {
    mode: d.mode,
    icon: ':arrows_counterclockwise:',
    headline: `${d.mode === 'enforce' ? 'Restarting' : 'Would have restarted'} tile service ${d.service} (${d.cluster}) after ${shortCommit(d.commitId)} reached Prod`,
    why: [`Prod succeeded for ${d.pipeline}; tile servers reload the schema only when they restart: ${how}.`],
    next:
      d.mode === 'enforce'
        ? [
            `The guard follows deployment ${d.deploymentId ? `\`${d.deploymentId}\`` : 'of the service'} and reports when it ends; not finished by ${utc(d.deadline, ctx.time)} counts as failed.`,
          ]
        : [`Nothing was restarted: restart ${d.service} by hand if this release changed the schema.`],
    links: [
      ...ecsServiceLink(ctx.region, d.cluster, d.service),
      ...executionLink(ctx.region, d.pipeline, d.executionId),
    ],
    commit: { id: d.commitId, message: d.commitMessage },
  };
}
