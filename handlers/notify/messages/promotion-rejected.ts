import type { PromotionRejected } from '../../../events/guard/promotion-rejected';
import { alarmLink, executionLink } from './console-links';
import { shortCommit, shortExecution, utc, type Notice, type RenderContext } from './notice';

export function renderPromotionRejected(d: PromotionRejected, ctx: RenderContext): Notice {
  const exec = `\`${shortExecution(d.executionId)}\``;
  const verb = d.mode === 'enforce' ? 'Rejected' : 'Would have rejected';
  const links = executionLink(ctx.region, d.pipeline, d.executionId);
  const commit = { id: d.commitId, message: d.commitMessage };
  if (d.reason === 'superseded') {
    const newer = d.supersededBy ? `\`${shortExecution(d.supersededBy)}\`` : 'a newer execution';
    return {
      mode: d.mode,
      icon: ':fast_forward:',
      headline: `${verb} ${d.pipeline} ${shortCommit(d.commitId)} at the Prod gate: superseded`,
      why: [
        `${newer} succeeded in Dev after ${exec}: promoting ${exec} would ship an older release over it.`,
      ],
      next:
        d.mode === 'enforce'
          ? [`${newer} enters Prod after its own bake. Nothing to do.`]
          : [`Nothing was rejected: reject the gate of ${exec} by hand and let ${newer} bake.`],
      links: [...links, ...(d.supersededBy ? executionLink(ctx.region, d.pipeline, d.supersededBy) : [])],
      commit,
    };
  }
  if (d.reason === 'dev-restore') {
    return {
      mode: d.mode,
      icon: ':leftwards_arrow_with_hook:',
      headline: `${verb} ${d.pipeline} ${shortCommit(d.commitId)} at the Prod gate: a Dev-only restore`,
      why: [
        `${exec} is the guard's restart after a Dev failure: it restored Dev, and Prod already runs a known good release (maybe newer).`,
      ],
      next:
        d.mode === 'enforce'
          ? ['Prod keeps its release. Fix the failed commit and push: the fix bakes as usual.']
          : [`Nothing was rejected: reject the gate of ${exec} by hand so Prod keeps its release.`],
      links,
      commit,
    };
  }
  return {
    mode: d.mode,
    icon: ':no_entry:',
    headline: `${verb} ${d.pipeline} ${shortCommit(d.commitId)} at the Prod gate: Dev alarm during the bake`,
    why: d.alarms.length
      ? d.alarms.map(
          (a) =>
            `\`${a.name}\` was ${a.state}${a.since ? ` at ${utc(a.since, ctx.time)}` : ''}, after ${exec} left Dev.`,
        )
      : ['A selected Dev alarm fired after the execution left Dev.'],
    next:
      d.mode === 'enforce'
        ? [`${exec} will not reach Prod. Fix the cause and push: the next commit bakes afresh.`]
        : [
            `Nothing was rejected: the gate of ${exec} waits for a person, who should not approve it while Dev was unhealthy.`,
          ],
    links: [...links, ...d.alarms.flatMap((a) => alarmLink(ctx.region, a))],
    commit,
  };
}
