import type { TileRestartFailed } from '../../../events/guard/tile-restart-failed';
import { ecsServiceLink } from './console-links';
import { esc, shortCommit, type Notice, type RenderContext } from './notice';

const reasons: Record<TileRestartFailed['reason'], string> = {
  'deployment-failed': 'the deployment failed',
  'rolled-back': 'the deployment was rolled back',
  'timed-out': 'the deployment did not finish in time',
  'unsupported-controller': 'the service uses a deployment controller the guard cannot drive',
  'start-failed': 'the guard could not start the restart',
};

export function renderTileRestartFailed(d: TileRestartFailed, ctx: RenderContext): Notice {
  return {
    mode: d.mode,
    icon: ':rotating_light:',
    headline: `Tile service ${d.service} (${d.cluster}) not restarted for ${shortCommit(d.commitId)}: ${reasons[d.reason]}`,
    why: [esc(d.detail), ...(d.deploymentId ? [`Deployment \`${d.deploymentId}\`.`] : [])],
    next: [
      'The guard does not retry: the service may still run tasks that do not know the new schema.',
      `Check its deployments and force a new deployment of ${d.service} by hand.`,
    ],
    links: ecsServiceLink(ctx.region, d.cluster, d.service),
    commit: { id: d.commitId, message: d.commitMessage },
  };
}
