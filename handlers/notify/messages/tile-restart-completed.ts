import type { TileRestartCompleted } from '../../../events/guard/tile-restart-completed';
import { ecsServiceLink } from './console-links';
import { shortCommit, type Notice, type RenderContext } from './notice';

export function renderTileRestartCompleted(d: TileRestartCompleted, ctx: RenderContext): Notice {
  const minutes = Math.floor(d.durationSeconds / 60);
  const seconds = Math.round(d.durationSeconds % 60);
  return {
    mode: d.mode,
    icon: ':large_green_circle:',
    headline: `Tile service ${d.service} (${d.cluster}) restarted for ${shortCommit(d.commitId)}`,
    why: [`Deployment \`${d.deploymentId}\` completed in ${minutes} min ${seconds} s.`],
    next: ['Nothing to do: the service now serves the schema of this release.'],
    links: ecsServiceLink(ctx.region, d.cluster, d.service),
    commit: { id: d.commitId, message: d.commitMessage },
  };
}
