import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack): `v0=` + hex
 * HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>` with the app's signing secret. Computed over the
 * bytes Slack sent, before anything parses them: a parsed-and-reserialised body would not be what was signed.
 */

/** Slack's own window: a request whose timestamp is more than 5 minutes off is refused (replays, clock skew). */
export const MAX_SKEW_SECONDS = 300;

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch';
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureRefusal };

/**
 * Whether Slack signed these bytes at this time. The comparison is constant-time (timingSafeEqual over equal
 * lengths: the shape is checked first, and it is public); the secret and the signatures are never returned.
 */
export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!TIMESTAMP.test(timestamp) || !SIGNATURE.test(signature)) return { ok: false, reason: 'malformed' };
  const at = Number(timestamp);
  if (Math.abs(input.nowSeconds - at) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(input.secret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true, timestamp: at };
}
