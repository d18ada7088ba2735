import type { HoldFact, PersonCommand } from '../../../events/guard/person-command';
import { pipelineLink } from './console-links';
import { esc, shortExecution, utc, type Notice, type RenderContext } from './notice';

/** One hold as people read it: who, why, since, until. */
export function holdLine(h: HoldFact, ctx: RenderContext): string {
  const until = h.until ? ` until ${utc(h.until, ctx.time)}` : ' until released';
  return `Held by ${esc(h.by)} since ${utc(h.since, ctx.time)}${until}: "${esc(h.reason)}".`;
}

export function renderPersonCommand(d: PersonCommand, ctx: RenderContext): Notice {
  const links = pipelineLink(ctx.region, d.pipeline);
  const standing = d.standing.length
    ? [`Still held: ${d.standing.length}.`, ...d.standing.map((h) => holdLine(h, ctx))]
    : [];
  const waiting = d.waitingExecutionId
    ? [`The guard looks at ${shortExecution(d.waitingExecutionId)}, waiting at the gate, again now.`]
    : [];
  if (d.command === 'hold') {
    return {
      mode: d.mode,
      icon: ':pause_button:',
      headline: `${d.pipeline} held by ${esc(d.by)}`,
      why: d.holds.map((h) => holdLine(h, ctx)),
      next: [
        'The gate approves nothing for this pipeline while any hold stands; executions keep baking and wait at the gate.',
        `\`release-guard release-hold ${esc(d.pipeline)}\` ends it${d.until ? `; it also ends by itself at ${utc(d.until, ctx.time)}` : ''}.`,
      ],
      links,
    };
  }
  if (d.command === 'release-hold') {
    const ended = d.outcome === 'expired' ? 'Hold on' : 'Hold released on';
    return {
      mode: d.mode,
      icon: ':arrow_forward:',
      headline: `${ended} ${d.pipeline}${d.outcome === 'expired' ? ' ended: its time is up' : ` by ${esc(d.by)}`}`,
      why: [
        ...d.holds.map((h) => `Ended: ${holdLine(h, ctx)}`),
        ...(d.reason ? [`Why: "${esc(d.reason)}".`] : []),
        ...standing,
      ],
      next: d.standing.length
        ? ['The gate still approves nothing while the other holds stand.']
        : waiting.length
          ? [...waiting, 'A fully baked, healthy execution is approved at once.']
          : ['Nothing waits at the gate; the next execution bakes and passes as usual.'],
      links,
    };
  }
  if (d.command === 'lift-block') {
    return {
      mode: d.mode,
      icon: ':unlock:',
      headline: `Block lifted on ${d.pipeline} by ${esc(d.by)}: the guard leaves Prod open`,
      why: [esc(d.summary), ...(d.reason ? [`Why: "${esc(d.reason)}".`] : [])],
      next: [
        'The guard closes Prod again when one of these alarms recovers and fires again, or another selected alarm fires.',
        'Every execution still needs its full, quiet bake at the gate: an alarm during its bake rejects it.',
      ],
      links,
    };
  }
  return {
    mode: d.mode,
    icon: ':bust_in_silhouette:',
    headline: `${d.command} on ${d.pipeline} by ${esc(d.by)}`,
    why: [d.summary, ...(d.reason ? [`Why: "${esc(d.reason)}".`] : [])],
    next: [],
    links,
  };
}
