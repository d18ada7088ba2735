import type { PromotionUnblocked } from '../../../events/guard/promotion-unblocked';
import { pipelineLink } from './console-links';
import { esc, plural, shortExecution, utc, type Notice, type RenderContext } from './notice';

export function renderPromotionUnblocked(d: PromotionUnblocked, ctx: RenderContext): Notice {
  const quiet = `${plural(d.alarmsChecked.length, 'selected Dev alarm')} OK: ${d.alarmsChecked.join(', ') || 'none'}.`;
  const since = d.blockedSince ? [`Prod was stopped since ${utc(d.blockedSince, ctx.time)}.`] : [];
  const links = pipelineLink(ctx.region, d.pipeline);
  if (d.outcome === 'left-disabled') {
    return {
      mode: d.mode,
      icon: ':raised_hand:',
      headline: `Dev alarms OK, but Prod stays closed for ${d.pipeline}: someone else disabled the transition`,
      why: [
        quiet,
        `The reason on the transition is "${esc(d.transitionReason ?? 'none')}", not the guard's: the guard never undoes a block it did not make.`,
      ],
      next: [`Enable the transition into ${d.prodStage} by hand when you are ready.`],
      links,
    };
  }
  if (d.forRestore) {
    const restore = `\`${shortExecution(d.forRestore)}\``;
    return {
      mode: d.mode,
      icon: ':rewind:',
      headline: `${d.mode === 'enforce' ? 'Prod reopened' : 'Would have reopened Prod'} for ${d.pipeline}: the guard's rollback ${shortExecution(d.forRestore)} waits to enter it`,
      why: [
        `The rollback ${restore} restores the last known good release after a Prod failure; the Dev alarm that closed Prod is likely the failed release's.`,
        ...since,
      ],
      next:
        d.mode === 'enforce'
          ? [
              `${restore} enters ${d.prodStage} and passes the gate without a bake. While the alarm fires, the guard closes Prod again at its next check; anything else still needs its full, quiet bake.`,
            ]
          : [`Nothing was changed: the guard would have re-enabled the transition into ${d.prodStage}.`],
      links,
    };
  }
  return {
    mode: d.mode,
    icon: ':large_green_circle:',
    headline: `${d.mode === 'enforce' ? 'Prod reopened' : 'Would have reopened Prod'} for ${d.pipeline}: Dev alarms OK`,
    why: [quiet, ...since],
    next:
      d.mode === 'enforce'
        ? [
            `Executions waiting to enter ${d.prodStage} proceed; each still needs its full, quiet bake at the gate.`,
          ]
        : [`Nothing was changed: the guard would have re-enabled the transition into ${d.prodStage}.`],
    links,
  };
}
