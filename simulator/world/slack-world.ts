import type { FetchFunction } from '@slack/webhook';
import type { World } from './world';

/**
 * Slack's incoming webhook, played by the world: the real @slack/webhook client posts here (its `fetch`), the
 * URL must be the one in the world's SSM parameter, and every message lands on the timeline.
 */
export function fakeSlackFetch(world: World, webhookUrl: string): FetchFunction {
  return async (url, init) => {
    if (String(url) !== webhookUrl) return new Response('no_service', { status: 404 }) as never;
    const { status, retryAfter } = world.slackAnswer;
    if (status !== 200) {
      const headers = retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) };
      return new Response(status === 429 ? 'rate_limited' : 'internal_error', { status, headers }) as never;
    }
    const message = JSON.parse(String(init?.body ?? '{}')) as { text?: string; blocks?: unknown[] };
    world.record({
      at: world.at(),
      kind: 'slack',
      text: message.text ?? '',
      blocks: (message.blocks ?? []) as Record<string, unknown>[],
    });
    return new Response('ok', { status: 200 }) as never;
  };
}

/** What the simulated SSM parameter holds; it is never printed, only compared. */
export const SIM_WEBHOOK_URL = 'https://hooks.slack.com/services/T0SIMULAT/B0SIMULAT/simulatedWebhookSecret';
