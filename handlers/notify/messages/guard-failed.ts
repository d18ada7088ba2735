import type { GuardFailed } from '../../../events/guard/guard-failed';
import { executionLink, pipelineLink } from './console-links';
import { esc, type Notice, type RenderContext } from './notice';

export function renderGuardFailed(d: GuardFailed, ctx: RenderContext): Notice {
  const where = d.pipeline ? ` for ${d.pipeline}` : '';
  return {
    mode: d.mode,
    icon: ':warning:',
    headline: d.call
      ? `Release guard: ${d.call} failed (${d.reaction})${where}`
      : `Release guard could not decide safely (${d.reaction})${where}`,
    why: [
      `${esc(d.error.name)}: ${esc(d.error.message)}`,
      ...(d.call ? [`Failed call: \`${esc(d.call)}\`${d.resource ? ` on ${esc(d.resource)}` : ''}`] : []),
    ],
    next: [
      sentence(esc(d.consequence)),
      'The guard tries again on the next trigger; until then people decide by hand (gate, transition, rollback).',
    ],
    links:
      d.pipeline && d.executionId
        ? executionLink(ctx.region, d.pipeline, d.executionId)
        : d.pipeline
          ? pipelineLink(ctx.region, d.pipeline)
          : [],
  };
}

/** Producers write the consequence as a clause ("not approved; …"): a sentence reads better in a bullet. */
const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
