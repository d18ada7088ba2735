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

/** The simulated Slack app's signing secret (in the world's SSM parameter); the slackClick step signs with it. */
export const SIM_SIGNING_SECRET = 'simulated0signing0secret00000042';

/**
 * Slack controls' side of Slack, played by the world: each action's response_url (hooks.slack.com/actions/…),
 * whose posts land on the timeline as Slack messages (the message updated in place, or an ephemeral answer), and
 * the Web API's usergroups.users.list (no group is known: a rule naming one allows nobody, fail closed).
 */
export function fakeSlackApi(world: World): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const href = String(url);
    if (href.startsWith('https://hooks.slack.com/actions/')) {
      const message = JSON.parse(String(init?.body ?? '{}')) as {
        text?: string;
        blocks?: unknown[];
        response_type?: string;
        replace_original?: boolean;
      };
      const how = message.replace_original ? 'message updated' : (message.response_type ?? 'ephemeral');
      world.record({
        at: world.at(),
        kind: 'slack',
        text: `[${how}] ${message.text ?? ''}`,
        blocks: (message.blocks ?? []) as Record<string, unknown>[],
      });
      return new Response('ok', { status: 200 });
    }
    if (href.startsWith('https://slack.com/api/usergroups.users.list')) {
      return new Response('{"ok":false,"error":"no_such_subteam"}', { status: 200 });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
}
