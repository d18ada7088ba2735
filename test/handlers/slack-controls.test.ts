import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import {
  slackCommandRequested,
  type SlackCommandRequested,
} from '../../events/guard/slack-command-requested';
import { makeHandler } from '../../handlers/slack-controls/make-handler';
import { makeSignatureMarks } from '../../lib/aws/slack-marks';
import { ssmClient, type SsmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { makeResponder } from '../../lib/slack/response-url';
import { makeUserGroups } from '../../lib/slack/web-api';
import { buttonBody, signedHeaders, slashBody } from '../../simulator/slack-requests';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';
import { functionUrlServer, slackSide } from '../support/slack-servers';

/** The signing secret and the bot token: neither may reach a log line. */
const SIGNING_SECRET = 'c0ffee5ecret0f7he51ackapp0000042';
const BOT_TOKEN = 'xoxb-0000-1111-SeCrEtBoTtOkEn';
const SECRET_PARAMETER = '/leadout/release-guard/test/slack-signing-secret';
const TOKEN_PARAMETER = '/leadout/release-guard/test/slack-bot-token';
const TEAM = 'T0LEADOUT';
const CHANNEL = 'C0RELEASES';
const MANAGER = 'U0RELMGR1';
const DEVELOPER = 'U0DEV1';
const STRANGER = 'U0STRANGER';

const config = parseGuardConfig({
  mode: 'enforce',
  slackWebhookParameter: '/leadout/release-guard/test/slack-webhook',
  slack: {
    signingSecretParameter: SECRET_PARAMETER,
    botTokenParameter: TOKEN_PARAMETER,
    teamId: TEAM,
    channelId: CHANNEL,
    allow: [
      { commands: ['hold', 'release-hold'], userGroup: 'S0DEVS' },
      { commands: ['hold', 'release-hold', 'promote-now', 'lift-block', 'rollback-now'], users: [MANAGER] },
    ],
  },
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
});

let dynamo: DynamoDBClient;
let ssm: SSMClient;
/** The handler's own reader (lib/aws/ssm.ts, signed calls), against moto. */
let ssmReader: SsmClient;
let table: string;
let slack: Awaited<ReturnType<typeof slackSide>>;
let endpoint: Awaited<ReturnType<typeof functionUrlServer>>;
let emitted: SlackCommandRequested[];
let logged: string[];
let now: Date;

beforeAll(async () => {
  const moto = motoClientConfig(inject('motoEndpoint'));
  dynamo = new DynamoDBClient(moto);
  ssm = new SSMClient(moto);
  ssmReader = ssmClient(moto);
  table = await createLedgerTable(dynamo, `slack-controls-${randomUUID()}`);
  for (const [Name, Value] of [
    [SECRET_PARAMETER, SIGNING_SECRET],
    [TOKEN_PARAMETER, BOT_TOKEN],
  ] as const) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));
  }
});

afterAll(() => {
  dynamo.destroy();
  ssm.destroy();
});

beforeEach(async () => {
  now = new Date();
  emitted = [];
  logged = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      logged.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
  slack = await slackSide({ token: BOT_TOKEN, groups: { S0DEVS: [DEVELOPER] } });
  // The real wiring of handler.ts: moto's SSM and DynamoDB, Slack's side on a local server, a real logger.
  const handler = makeHandler({
    config,
    signingSecret: makeSecureParameter(ssmReader, SECRET_PARAMETER, { maxAgeMs: 300_000, now: Date.now })
      .read,
    firstUse: (signature, at) => makeSignatureMarks(dynamo, table).firstUse(signature, at),
    members: makeUserGroups({
      token: makeSecureParameter(ssmReader, TOKEN_PARAMETER, { maxAgeMs: 300_000, now: Date.now }),
      baseUrl: `${slack.url}/api/`,
      maxAgeMs: 300_000,
      now: Date.now,
    }),
    responseUrlPrefix: `${slack.url}/actions/`,
    bus: {
      emit: async (contract, detail) => {
        emitted.push(slackCommandRequested.detail.parse(detail));
        expect(contract.detailType).toBe('SlackCommandRequested');
      },
    },
    respond: makeResponder(),
    logger: new Logger({ serviceName: 'release-guard', logLevel: 'DEBUG' }),
    now: () => now,
  });
  endpoint = await functionUrlServer(handler);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await endpoint.close();
  await slack.close();
});

const seconds = () => Math.floor(now.getTime() / 1000);
let pressCount = 0;

function press(userId: string, command: string, extra: { channelId?: string; teamId?: string } = {}) {
  pressCount += 1;
  return buttonBody({
    teamId: extra.teamId ?? TEAM,
    channelId: extra.channelId ?? CHANNEL,
    userId,
    command,
    value: { p: 'leadout', e: 'e4625dc7-00d8-4c86-b735-d491150cfb97', n: `nonce-${pressCount}` },
    messageTs: `1764756000.00${pressCount}`,
    messageBlocks: [{ type: 'header', block_id: 'h', text: { type: 'plain_text', text: 'Bake started' } }],
    responseUrl: `${slack.url}/actions/T0LEADOUT/1/${randomUUID()}`,
  });
}

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(endpoint.url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const signed = (body: string, at = seconds(), secret = SIGNING_SECRET) => signedHeaders(secret, body, at);

describe('the Slack endpoint, over real HTTP', () => {
  it('hands an allowed user’s signed button press to the guard, naming the user and the message', async () => {
    const body = press(MANAGER, 'hold');

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      via: 'button',
      origin: { teamId: TEAM, channelId: CHANNEL, userId: MANAGER, userName: 'u0relmgr1' },
      body: { command: 'hold', pipeline: 'leadout', reason: 'Hold pressed in Slack' },
    });
    expect(emitted[0]!.origin.messageTs).toMatch(/^1764756000\.00\d+$/);
    expect(emitted[0]!.messageBlocks).toHaveLength(1);
  });

  it('takes the slash command, and status from anyone in the channel', async () => {
    const body = slashBody({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: STRANGER,
      text: 'status leadout',
      responseUrl: `${slack.url}/actions/slash/1`,
    });

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: 'ephemeral', text: 'Reading the status of leadout…' });
    expect(emitted.map((e) => e.body)).toEqual([{ command: 'status', pipeline: 'leadout' }]);
  });

  it('runs a slash hold with its reason and until', async () => {
    const until = new Date(now.getTime() + 3_600_000).toISOString();
    const body = slashBody({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: MANAGER,
      text: `hold leadout --until ${until} odd 5xx in Dev`,
      responseUrl: `${slack.url}/actions/slash/2`,
    });

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(emitted.map((e) => e.body)).toEqual([
      { command: 'hold', pipeline: 'leadout', until, reason: 'odd 5xx in Dev' },
    ]);
  });

  it.each([
    [
      'unsigned',
      (_body: string): Record<string, string> => ({
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(seconds()),
      }),
    ],
    ['signed with another secret', (b: string) => signed(b, seconds(), 'another-apps-signing-secret-0000')],
    ['signed 6 minutes ago', (b: string) => signed(b, seconds() - 360)],
    ['signed 6 minutes ahead', (b: string) => signed(b, seconds() + 360)],
    ['signed over another body', (b: string) => signed(b.replace('hold', 'hole'))],
  ])('refuses a request %s with 401 and hands nothing over', async (_name, headersFor) => {
    const body = press(MANAGER, 'hold');

    const answer = await post(body, headersFor(body));

    expect(answer.status).toBe(401);
    expect(emitted).toEqual([]);
    expect(slack.responses).toEqual([]);
  });

  it('refuses a replay of an accepted request inside the window (401), acting once', async () => {
    const body = press(MANAGER, 'hold');
    const headers = signed(body);

    const first = await post(body, headers);
    now = new Date(now.getTime() + 60_000);
    const replay = await post(body, headers);

    expect([first.status, replay.status]).toEqual([200, 401]);
    expect(emitted).toHaveLength(1);
  });

  it('acknowledges Slack’s retry of an accepted request (X-Slack-Retry-Num) without acting again', async () => {
    const body = press(MANAGER, 'hold');
    const headers = signed(body);

    const first = await post(body, headers);
    const retry = await post(body, {
      ...headers,
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(emitted).toHaveLength(1);
  });

  it('refuses an oversized body (413) before checking anything', async () => {
    const body = `${press(MANAGER, 'hold')}&pad=${'x'.repeat(70 * 1024)}`;

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(413);
    expect(emitted).toEqual([]);
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bnot%20json'],
    ['neither a payload nor a command', 'hello=world'],
    [
      'a button of another app',
      'payload=' +
        encodeURIComponent(
          JSON.stringify({
            type: 'block_actions',
            user: { id: MANAGER },
            team: { id: TEAM },
            channel: { id: CHANNEL },
            container: { message_ts: '1.2' },
            response_url: 'https://hooks.slack.com/actions/x',
            actions: [{ action_id: 'other-app:do', value: '{}' }],
          }),
        ),
    ],
  ])('refuses a signed but malformed request, %s (400)', async (_name, body) => {
    const answer = await post(body, signed(body));

    expect(answer.status).toBe(400);
    expect(emitted).toEqual([]);
  });

  it('refuses a user who is not allowed, ephemerally, and changes nothing', async () => {
    const body = press(STRANGER, 'lift-block');

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(emitted).toEqual([]);
    expect(slack.responses).toHaveLength(1);
    expect(slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(slack.responses[0]!.body.text)).toMatch(
      /Not allowed: <@U0STRANGER> may not run lift-block.*Nothing was changed/,
    );
  });

  it('allows a member of the user group, as Slack’s Web API says, only the group’s commands', async () => {
    const hold = press(DEVELOPER, 'hold');
    const promote = press(DEVELOPER, 'promote-now');

    const held = await post(hold, signed(hold));
    const promoted = await post(promote, signed(promote));

    expect([held.status, promoted.status]).toEqual([200, 200]);
    expect(emitted.map((e) => [e.origin.userId, e.body.command])).toEqual([[DEVELOPER, 'hold']]);
    expect(slack.webApi[0]).toEqual({
      url: '/api/usergroups.users.list?usergroup=S0DEVS',
      authorization: `Bearer ${BOT_TOKEN}`,
    });
    expect(String(slack.responses.at(-1)!.body.text)).toMatch(/may not run promote-now/);
  });

  it('fails closed when Slack cannot say who is in the user group', async () => {
    slack.failWebApi(500);
    const body = press(DEVELOPER, 'hold');

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(emitted).toEqual([]);
    expect(String(slack.responses[0]!.body.text)).toMatch(/could not ask Slack who is in user group S0DEVS/);
  });

  it.each([
    ['another channel', { channelId: 'C0RANDOM' }, /only in the guard's channel/],
    ['another workspace', { teamId: 'T0OTHER' }, /workspace T0OTHER is not the guard's/],
  ])('refuses a press from %s', async (_name, where, reason) => {
    const body = press(MANAGER, 'hold', where);

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(emitted).toEqual([]);
    expect(String(slack.responses[0]!.body.text)).toMatch(reason);
  });

  it('tells a slash command with a bad argument what is wrong', async () => {
    const body = slashBody({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: MANAGER,
      text: 'hold leadout',
      responseUrl: `${slack.url}/actions/slash/3`,
    });

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(200);
    expect(answer.json.text).toMatch(/Not understood: reason: required for hold/);
    expect(emitted).toEqual([]);
  });

  it('refuses a response_url that is not Slack’s (the command function would post there)', async () => {
    const body = slashBody({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: MANAGER,
      text: 'status',
      responseUrl: 'https://attacker.example/collect',
    });

    const answer = await post(body, signed(body));

    expect(answer.status).toBe(400);
    expect(emitted).toEqual([]);
  });

  it('writes no secret, signature or response_url into any log line, and counts each refusal', async () => {
    const good = press(MANAGER, 'hold');
    const goodHeaders = signed(good);
    await post(good, goodHeaders);
    await post(good, goodHeaders);
    const stranger = press(STRANGER, 'rollback-now');
    await post(stranger, signed(stranger, seconds(), 'another-apps-signing-secret-0000'));
    await post(stranger, signed(stranger));

    const log = logged.join('');
    for (const secret of [
      SIGNING_SECRET,
      BOT_TOKEN,
      goodHeaders['x-slack-signature']!,
      '/actions/T0LEADOUT',
    ]) {
      expect(log).not.toContain(secret);
    }
    const refusals = logged.filter((line) => line.includes('"invalidEvent":true'));
    expect(refusals).toHaveLength(3);
  });
});
