import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../lib/slack/signature';

/** Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack). */
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&' +
  'channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&' +
  'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
  'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = Number(TIMESTAMP) + 10;

describe("Slack's request signature", () => {
  it("computes Slack's documented example", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it.each([
    ['the documented request', {}, { ok: true, timestamp: Number(TIMESTAMP) }],
    ['4 min 59 s old', { nowSeconds: Number(TIMESTAMP) + 299 }, { ok: true, timestamp: Number(TIMESTAMP) }],
    [
      '5 min old exactly',
      { nowSeconds: Number(TIMESTAMP) + 300 },
      { ok: true, timestamp: Number(TIMESTAMP) },
    ],
    ['6 min old', { nowSeconds: Number(TIMESTAMP) + 360 }, { ok: false, reason: 'stale' }],
    ['6 min in the future', { nowSeconds: Number(TIMESTAMP) - 360 }, { ok: false, reason: 'stale' }],
    ['another secret', { secret: '8f742231b10e8888abcd99yyyzzz85a6' }, { ok: false, reason: 'mismatch' }],
    [
      'one body byte changed',
      { rawBody: Buffer.from(BODY.replace('roadrunner', 'roadrunnes')) },
      { ok: false, reason: 'mismatch' },
    ],
    [
      'the signature of another timestamp',
      { timestamp: '1531420619', nowSeconds: NOW },
      { ok: false, reason: 'mismatch' },
    ],
    [
      'upper-case hex',
      { signature: SIGNATURE.toUpperCase().replace('V0=', 'v0=') },
      { ok: false, reason: 'malformed' },
    ],
    ['a v1 signature', { signature: SIGNATURE.replace('v0=', 'v1=') }, { ok: false, reason: 'malformed' }],
    ['a truncated signature', { signature: SIGNATURE.slice(0, -2) }, { ok: false, reason: 'malformed' }],
    ['no signature', { signature: undefined }, { ok: false, reason: 'missing' }],
    ['no timestamp', { timestamp: undefined }, { ok: false, reason: 'missing' }],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }, { ok: false, reason: 'malformed' }],
  ])('%s', (_name, change, expected) => {
    const input = {
      secret: SECRET,
      timestamp: TIMESTAMP as string | undefined,
      signature: SIGNATURE as string | undefined,
      rawBody: Buffer.from(BODY),
      nowSeconds: NOW,
      ...change,
    };
    expect(verifySlackSignature(input)).toEqual(expected);
  });
});
