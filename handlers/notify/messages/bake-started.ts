import type { BakeStarted } from '../../../events/guard/bake-started';
import { executionLink } from './console-links';
import { shortCommit, shortExecution, utc, type Notice, type RenderContext } from './notice';

export function renderBakeStarted(d: BakeStarted, ctx: RenderContext): Notice {
  const at = utc(d.bakeEndsAt, ctx.time);
  return {
    mode: d.mode,
    icon: ':hourglass_flowing_sand:',
    headline: `Bake started: ${d.pipeline} ${shortCommit(d.commitId)}, ${d.bakeMinutes} min in Dev`,
    why: [
      `Dev succeeded for execution \`${shortExecution(d.executionId)}\` at ${utc(d.devSucceededAt, ctx.time)}.`,
      `Every release bakes ${d.bakeMinutes} min in Dev before it may enter Prod.`,
    ],
    next:
      d.mode === 'enforce'
        ? [
            `Prod gate approves at *${at}* if Dev stays healthy (no selected Dev alarm fires, no newer commit passes Dev).`,
            'A Dev alarm before then stops the release; a newer commit supersedes this one.',
          ]
        : [
            `At *${at}* the guard would approve the Prod gate if Dev stays healthy; until then a person approves it.`,
          ],
    links: executionLink(ctx.region, d.pipeline, d.executionId),
    commit: { id: d.commitId, message: d.commitMessage },
  };
}
