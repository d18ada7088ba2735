import type { PromotionHeld } from '../../../events/guard/promotion-held';
import { pipelineLink } from './console-links';
import { esc, plural, shortExecution, utc, type Notice, type RenderContext } from './notice';
import { holdLine } from './person-command';

export function renderPromotionHeld(d: PromotionHeld, ctx: RenderContext): Notice {
  const commit = d.commitId ? ` ${d.commitId.slice(0, 7)}` : '';
  return {
    mode: d.mode,
    icon: ':pause_button:',
    headline: `${d.pipeline}${commit} baked but is held at the Prod gate`,
    why: [
      `Baked ${d.bakedMinutes} min in Dev; ${plural(d.alarmsChecked.length, 'selected Dev alarm')} quiet the whole bake.`,
      ...d.holds.map((h) => holdLine(h, ctx)),
      ...(d.freeze?.reasons ?? []).map((r) => `Frozen: ${esc(r)}.`),
      ...(d.freeze?.warning ? [`:warning: ${esc(d.freeze.warning)}.`] : []),
    ],
    next: [
      d.holds.length
        ? `Execution ${shortExecution(d.executionId)} waits at the gate; it is approved at once when the last hold ends (\`release-guard release-hold ${esc(d.pipeline)}\`${d.holds.some((h) => h.until) ? ', or when its time is up' : ''})${d.freeze ? ' and the freeze is over' : ''}.`
        : `Execution ${shortExecution(d.executionId)} waits at the gate; it is approved when the freeze ends${d.freeze?.until ? ` (${utc(d.freeze.until, ctx.time)})` : ''}, within the reconciler's few minutes.`,
      `A hold stops new releases only: the guard's own rollbacks pass it. Checked at ${utc(ctx.time, ctx.time)}.`,
    ],
    links: pipelineLink(ctx.region, d.pipeline),
  };
}
