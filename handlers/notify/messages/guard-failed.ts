import type { GuardFailed } from '../../../events/guard/guard-failed';
import { executionLink, pipelineLink } from './console-links';
import { esc, type Notice, type RenderContext } from './notice';

export function renderGuardFailed(d: GuardFailed, ctx: RenderContext): Notice {
  const where = d.pipeline ? ` for ${d.pipeline}` : '';
  return {
    mode: d.mode,
    icon: ':warning:',
    headline: `Release guard could not decide safely (${d.reaction})${where}`,
    why: [`${esc(d.error.name)}: ${esc(d.error.message)}`],
    next: [
      sentence(esc(d.consequence)),
      'A person can always decide at the Prod gate; the guard tries again on the next trigger.',
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
