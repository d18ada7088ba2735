import { slackSignature } from '../lib/slack/signature';
import { ACTION_PREFIX, type ButtonValue } from '../lib/slack/buttons';

/**
 * Requests as Slack sends them to the guard's Slack endpoint, for the simulator's `slackClick` step and the tests:
 * a button press (an interactive `block_actions` payload, form-encoded) or the slash command, signed with the app's
 * signing secret the way Slack signs (lib/slack/signature.ts).
 */

export type Press = {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string;
  command: string;
  value: ButtonValue;
  messageTs: string;
  messageBlocks?: unknown[];
  responseUrl: string;
  triggerId?: string;
};

export function buttonBody(p: Press): string {
  const payload = {
    type: 'block_actions',
    team: { id: p.teamId, domain: 'leadout' },
    user: { id: p.userId, username: p.userName ?? p.userId.toLowerCase(), team_id: p.teamId },
    api_app_id: 'A0RELEASEGUARD',
    container: { type: 'message', message_ts: p.messageTs, channel_id: p.channelId, is_ephemeral: false },
    trigger_id: p.triggerId ?? `${p.messageTs.replace('.', '')}.1.trigger`,
    channel: { id: p.channelId, name: 'releases' },
    message: { type: 'message', ts: p.messageTs, text: 'release guard', blocks: p.messageBlocks ?? [] },
    response_url: p.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: `${ACTION_PREFIX}${p.command}`,
        block_id: 'release-guard-controls',
        value: JSON.stringify(p.value),
        action_ts: p.messageTs,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type Slash = {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
};

export function slashBody(s: Slash): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: s.teamId,
    team_domain: 'leadout',
    channel_id: s.channelId,
    channel_name: 'releases',
    user_id: s.userId,
    user_name: s.userName ?? s.userId.toLowerCase(),
    command: '/release-guard',
    text: s.text,
    api_app_id: 'A0RELEASEGUARD',
    response_url: s.responseUrl,
    trigger_id: s.triggerId ?? `slash.${s.userId}.${s.text.length}`,
  }).toString();
}

/** The headers Slack sends with a body signed at `atSeconds`. */
export function signedHeaders(secret: string, body: string, atSeconds: number): Record<string, string> {
  const timestamp = String(atSeconds);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(secret, timestamp, body),
  };
}

/** A function URL event (payload 2.0) as Lambda builds it from an HTTP request; the body base64 like Lambda's. */
export function functionUrlEvent(request: {
  method?: string;
  headers: Record<string, string>;
  body: Buffer | string;
  base64?: boolean;
}) {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const base64 = request.base64 ?? true;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: {
      http: { method: request.method ?? 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '192.0.2.10' },
      requestId: 'slack-request',
    },
    body: base64 ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: base64,
  };
}
