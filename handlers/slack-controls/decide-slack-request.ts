import type { GuardConfig } from '../../config/schema';
import { parseCommandBody } from '../../lib/command/command-schema';
import { authorizeSlackAction, type GroupMembers } from '../../lib/slack/allow';
import { MAX_SKEW_SECONDS, verifySlackSignature, type SignatureRefusal } from '../../lib/slack/signature';
import { parseSlackRequest, type SlackAction } from '../../lib/slack/slack-request';

/**
 * The Slack endpoint's decision for one request, in the order that keeps a forged request from costing anything:
 * size, signature over the raw bytes (before any parsing), replay, shape, workspace/channel/allow-list, the command
 * body. Pure apart from the two reads it is given (the replay mark and the user groups).
 */

/** Slack's block_actions payloads carry the whole message they came from; the guard's stay well under this. */
export const MAX_BODY_BYTES = 64 * 1024;

export type SlackRequestInput = {
  method: string;
  headers: Record<string, string | undefined>;
  body: string | undefined;
  isBase64Encoded: boolean;
};

export type SlackDecision =
  /** Refused before Slack's signature was established: HTTP status only, no Slack message. */
  | { kind: 'reject'; status: 400 | 401 | 405 | 413; reason: string; detail?: SignatureRefusal | 'replayed' }
  /** Signed by Slack, but not acted on: an ephemeral answer says why (Slack shows ephemerals only on a 200). */
  | { kind: 'refuse'; reason: string; action?: SlackAction }
  | { kind: 'accept'; action: SlackAction; command: { command: string; pipeline?: string } }
  /** Slack's own retry (X-Slack-Retry-Num) of a request already accepted: acknowledged, not acted on again. */
  | { kind: 'retry'; retryNum: string };

export type DecideDeps = {
  config: GuardConfig;
  signingSecret: () => Promise<string>;
  firstUse: (signature: string, nowSeconds: number) => Promise<boolean>;
  members: GroupMembers;
  /** response_url must start with this (https://hooks.slack.com/): the command function posts there. */
  responseUrlPrefix: string;
  now: () => Date;
};

export async function decideSlackRequest(deps: DecideDeps, input: SlackRequestInput): Promise<SlackDecision> {
  if (input.method !== 'POST') return { kind: 'reject', status: 405, reason: `method ${input.method}` };
  const body = input.body ?? '';
  // Checked on the encoded length first, so an oversized body is never decoded.
  if (body.length > (input.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES * 4)) {
    return { kind: 'reject', status: 413, reason: 'body too large' };
  }
  const raw = input.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) return { kind: 'reject', status: 413, reason: 'body too large' };

  const signature = input.headers['x-slack-signature'];
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const check = verifySlackSignature({
    secret: await deps.signingSecret(),
    timestamp: input.headers['x-slack-request-timestamp'],
    signature,
    rawBody: raw,
    nowSeconds,
  });
  if (!check.ok) {
    const why = {
      missing: 'no Slack signature',
      malformed: 'malformed Slack signature headers',
      stale: `timestamp more than ${MAX_SKEW_SECONDS} s off`,
      mismatch: 'signature does not match',
    };
    return { kind: 'reject', status: 401, reason: why[check.reason], detail: check.reason };
  }
  if (!(await deps.firstUse(signature!, nowSeconds))) {
    // The header is not signed: whoever sends it gets a 200 and nothing more, as Slack's retry should.
    const retryNum = input.headers['x-slack-retry-num'];
    if (retryNum !== undefined) return { kind: 'retry', retryNum: retryNum.slice(0, 8) };
    return { kind: 'reject', status: 401, reason: 'signature already used (a replay)', detail: 'replayed' };
  }

  const parsed = parseSlackRequest(raw);
  if (!parsed.ok)
    return { kind: 'reject', status: 400, reason: `malformed Slack request: ${parsed.message}` };
  const action = parsed.action;
  if (!action.responseUrl.startsWith(deps.responseUrlPrefix)) {
    return { kind: 'reject', status: 400, reason: "response_url is not Slack's" };
  }
  const slack = deps.config.slack;
  if (slack === undefined) return { kind: 'refuse', reason: 'Slack controls are not configured', action };
  const allowed = await authorizeSlackAction(
    slack,
    { teamId: action.teamId, channelId: action.channelId, userId: action.user.id, command: action.command },
    deps.members,
  );
  if (!allowed.allowed)
    return { kind: 'refuse', reason: `Not allowed: ${allowed.reason}. Nothing was changed.`, action };
  const command = parseCommandBody(action.body, deps.now());
  if (!command.ok) {
    return { kind: 'refuse', reason: `Not understood: ${command.message}. ${USAGE}`, action };
  }
  return { kind: 'accept', action, command: command.command };
}

export const USAGE =
  'Usage: `/release-guard status [pipeline]`, `/release-guard hold <pipeline> [--until <ISO time>] <reason>`, ' +
  '`/release-guard release-hold <pipeline>`, `/release-guard promote-now <pipeline> [--despite-alarm] <reason>`, ' +
  '`/release-guard lift-block <pipeline> <reason>`, `/release-guard rollback-now <pipeline> <reason>`.';
