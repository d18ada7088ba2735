import type { BakeStarted } from '../../../events/guard/bake-started';
import { executionLink } from './console-links';
import { shortCommit, shortExecution, utc, type Notice, type RenderContext } from './notice';

export function renderBakeStarted(d: BakeStarted, ctx: RenderContext): Notice {
  const devSucceeded = `Dev succeeded for execution \`${shortExecution(d.executionId)}\` at ${utc(d.devSucceededAt, ctx.time)}.`;
  const common = {
    mode: d.mode,
    links: executionLink(ctx.region, d.pipeline, d.executionId),
    commit: { id: d.commitId, message: d.commitMessage },
  };
  if (d.restore) return { ...common, ...restoreNotice(d, d.restore, devSucceeded) };
  const at = utc(d.bakeEndsAt, ctx.time);
  return {
    ...common,
    icon: ':hourglass_flowing_sand:',
    headline: `Bake started: ${d.pipeline} ${shortCommit(d.commitId)}, ${d.bakeMinutes} min in Dev`,
    why: [devSucceeded, `Every release bakes ${d.bakeMinutes} min in Dev before it may enter Prod.`],
    next:
      d.mode === 'enforce'
        ? [
            `Prod gate approves at *${at}* if Dev stays healthy (no selected Dev alarm fires, no newer commit passes Dev).`,
            'A Dev alarm before then stops the release; a newer commit supersedes this one.',
          ]
        : [
            `At *${at}* the guard would approve the Prod gate if Dev stays healthy; until then a person approves it.`,
          ],
  };
}

/** The guard's own restore passed Dev: it does not bake; what happens at the Prod gate depends on what failed. */
function restoreNotice(
  d: BakeStarted,
  r: NonNullable<BakeStarted['restore']>,
  devSucceeded: string,
): Pick<Notice, 'icon' | 'headline' | 'why' | 'next'> {
  const enforce = d.mode === 'enforce';
  const restore = `Restore of ${d.pipeline} ${shortCommit(d.commitId)} passed Dev`;
  const why = [
    devSucceeded,
    `It is the guard's restore after execution \`${shortExecution(r.failedExecutionId)}\` failed in ${r.failedStage ?? 'an unrecorded stage'}.`,
  ];
  if (r.passesGateUnbaked) {
    return {
      icon: ':rewind:',
      headline: `${restore}: ${enforce ? 'it passes' : 'the guard would pass it through'} the Prod gate at once, no bake`,
      why,
      next: enforce
        ? ['It passes the Prod gate at once, no bake: Dev alarms and newer commits do not hold it.']
        : ['The guard would approve it at the Prod gate at once, no bake; a person approves it.'],
    };
  }
  return {
    icon: ':no_entry:',
    headline: `${restore}: restored Dev only, the guard ${enforce ? 'rejects' : 'would reject'} it at the Prod gate`,
    why,
    next: [
      `It restored Dev only; the guard ${enforce ? 'rejects' : 'would reject'} it at the Prod gate, Prod already runs a known good release.`,
    ],
  };
}
