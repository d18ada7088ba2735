/**
 * Random requests through the Slack endpoint's makeHandler: signed garbage (as if Slack itself, or someone with the
 * secret, sent any bytes), and valid presses with one header or byte changed. Nothing crashes (every answer is an
 * HTTP status), nothing unsigned or changed after signing is handed over, and whatever is handed over is a command
 * the guard's own schema accepts, from the guard's workspace and channel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import {
  slackCommandRequested,
  type SlackCommandRequested,
} from '../../events/guard/slack-command-requested';
import { makeHandler } from '../../handlers/slack-controls/make-handler';
import { parseCommandBody } from '../../lib/command/command-schema';
import { buttonBody, functionUrlEvent, signedHeaders, slashBody } from '../../simulator/slack-requests';
import { captureLogger } from '../handlers/harness';

const SECRET = 'fuzz0signing0secret0000000000042';
const NOW = new Date('2026-12-03T09:00:00Z');
const AT = Math.floor(NOW.getTime() / 1000);
const config = parseGuardConfig({
  slackWebhookParameter: '/w',
  slack: {
    signingSecretParameter: '/s',
    teamId: 'T0LEADOUT',
    channelId: 'C0RELEASES',
    allow: [
      { commands: ['hold', 'release-hold', 'promote-now', 'lift-block', 'rollback-now'], users: ['U0ANA'] },
    ],
  },
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'x' } }],
});

function endpoint() {
  const emitted: SlackCommandRequested[] = [];
  const seen = new Set<string>();
  const handler = makeHandler({
    config,
    signingSecret: async () => SECRET,
    firstUse: async (signature) => !seen.has(signature) && Boolean(seen.add(signature)),
    members: async () => new Set(),
    responseUrlPrefix: 'https://hooks.slack.com/',
    bus: {
      emit: async (_contract, detail) => {
        emitted.push(slackCommandRequested.detail.parse(detail));
      },
    },
    respond: async () => undefined,
    logger: captureLogger().logger,
    now: () => NOW,
  });
  return { handler, emitted };
}

const command = fc.constantFrom(
  'hold',
  'release-hold',
  'promote-now',
  'lift-block',
  'rollback-now',
  'status',
  'nope',
);
const words = fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }).map((w) => w.join(' '));

const validRequest = fc.oneof(
  fc
    .record({
      c: command,
      user: fc.constantFrom('U0ANA', 'U0SAM'),
      n: fc.string({ minLength: 1, maxLength: 8 }),
    })
    .map((r) =>
      buttonBody({
        teamId: 'T0LEADOUT',
        channelId: 'C0RELEASES',
        userId: r.user,
        command: r.c,
        value: { p: 'leadout', n: r.n },
        messageTs: '1.2',
        responseUrl: 'https://hooks.slack.com/actions/1',
      }),
    ),
  fc
    .record({
      text: words,
      user: fc.constantFrom('U0ANA', 'U0SAM'),
      team: fc.constantFrom('T0LEADOUT', 'T0OTHER'),
    })
    .map((r) =>
      slashBody({
        teamId: r.team,
        channelId: 'C0RELEASES',
        userId: r.user,
        text: r.text,
        responseUrl: 'https://hooks.slack.com/commands/1',
      }),
    ),
);

describe('the Slack endpoint under random requests', () => {
  it('hands over only commands the schema accepts, from the workspace and channel, whatever Slack signs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validRequest,
          fc.string({ maxLength: 300 }),
          words.map((w) => `payload=${encodeURIComponent(w)}`),
        ),
        async (body) => {
          const { handler, emitted } = endpoint();

          const answer = await handler(functionUrlEvent({ headers: signedHeaders(SECRET, body, AT), body }));

          expect([200, 400, 413]).toContain(answer.statusCode);
          for (const e of emitted) {
            expect(parseCommandBody(e.body, NOW).ok).toBe(true);
            expect([e.origin.teamId, e.origin.channelId]).toEqual(['T0LEADOUT', 'C0RELEASES']);
            if (e.body.command !== 'status') expect(e.origin.userId).toBe('U0ANA');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hands over nothing that was changed after Slack signed it', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, at, xor) => {
        const { handler, emitted } = endpoint();
        const headers = signedHeaders(SECRET, body, AT);
        const bytes = Buffer.from(body);
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ xor;

        const answer = await handler(functionUrlEvent({ headers, body: bytes }));

        expect(answer.statusCode).toBe(401);
        expect(emitted).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
