import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import { GUARD_SOURCE } from '../../events/guard/guard-event';
import type { SlackCommandRequested } from '../../events/guard/slack-command-requested';
import { makeHandler } from '../../handlers/command/make-handler';
import { actorOver } from '../../lib/act/act';
import { makeHolds, makeOverrides } from '../../lib/aws/holds';
import { makeLedger } from '../../lib/aws/ledger';
import { makeHistory } from '../../lib/aws/history';
import type { ProdView } from '../../lib/aws/prod-transition';
import { makeSlackActionClaims } from '../../lib/aws/slack-marks';
import { holdExecutors } from '../../lib/effects/hold';
import { makeResponder } from '../../lib/slack/response-url';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';
import { slackSide } from '../support/slack-servers';
import { deployment, lambdaContext } from './harness';

const WAITING = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const OTHER = '0f1e2d3c-4b5a-4697-8877-665544332211';
const config = parseGuardConfig({
  mode: 'enforce',
  slackWebhookParameter: '/leadout/release-guard/test/slack-webhook',
  slack: {
    signingSecretParameter: '/leadout/release-guard/test/slack-signing-secret',
    teamId: 'T0LEADOUT',
    channelId: 'C0RELEASES',
    allow: [
      {
        commands: ['hold', 'release-hold', 'promote-now', 'lift-block', 'rollback-now'],
        users: ['U0RELMGR1'],
      },
    ],
  },
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
});

let dynamo: DynamoDBClient;
let table: string;
let slack: Awaited<ReturnType<typeof slackSide>>;
let announced: { detailType: string; detail: Record<string, unknown> }[];
let now: Date;
let logged: string[];

beforeAll(async () => {
  dynamo = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
});
afterAll(() => dynamo.destroy());

beforeEach(async () => {
  // A table per test: holds and claims of one test do not leak into the next.
  table = await createLedgerTable(dynamo, `slack-command-${randomUUID()}`);
  slack = await slackSide({ token: 'unused', groups: {} });
  announced = [];
  now = new Date('2026-12-03T09:10:00Z');
  logged = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      logged.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterEach(async () => {
  vi.restoreAllMocks();
  await slack.close();
});

/** The command function as handler.ts wires it, over moto's DynamoDB; Prod's view is a fixed answer. */
function commandFunction(view: Partial<ProdView> = {}) {
  const logger = new Logger({ serviceName: 'release-guard', logLevel: 'DEBUG' });
  const holds = makeHolds(dynamo, table);
  const overrides = makeOverrides(dynamo, table);
  const bus = {
    emitStored: async (detailType: string, detail: string) => {
      announced.push({ detailType, detail: JSON.parse(detail) as Record<string, unknown> });
    },
  };
  const prodView: ProdView = {
    transition: { enabled: true },
    waiting: { executionId: WAITING, token: randomUUID() },
    prodInbound: [],
    ...view,
  };
  const handler = makeHandler({
    config,
    holds,
    overrides,
    codepipeline: { getGateState: async () => ({ waiting: prodView.waiting, prodInbound: [] }) },
    transitions: { getProdView: async () => prodView },
    releases: makeLedger(dynamo, table),
    history: makeHistory(dynamo, table),
    actor: actorOver(
      'command',
      dynamo,
      table,
      bus,
      holdExecutors({
        holds,
        overrides,
        scheduler: { send: () => Promise.reject(new Error('no timers in this test')) } as never,
        timerTarget: deployment,
      }),
      logger,
      () => now,
    ),
    logger,
    now: () => now,
    slack: { claims: makeSlackActionClaims(dynamo, table), respond: makeResponder() },
  });
  return {
    holds,
    deliver: (event: object) => handler(structuredClone(event), lambdaContext),
  };
}

let count = 0;
function requested(body: Record<string, unknown>, change: Partial<SlackCommandRequested> = {}) {
  count += 1;
  const detail: SlackCommandRequested = {
    via: 'button',
    origin: {
      teamId: 'T0LEADOUT',
      channelId: 'C0RELEASES',
      userId: 'U0RELMGR1',
      userName: 'erin',
      messageTs: '1764756000.000100',
    },
    body,
    actionKey: `action-${count}`,
    responseUrl: `${slack.url}/actions/T0LEADOUT/${count}/secret`,
    messageBlocks: [
      { type: 'header', block_id: 'h', text: { type: 'plain_text', text: 'Bake started: leadout a1b2c3d' } },
      { type: 'actions', block_id: 'release-guard-controls', elements: [] },
    ],
    requestedAt: now.toISOString(),
    ...change,
  };
  return {
    version: '0',
    id: randomUUID(),
    source: GUARD_SOURCE,
    'detail-type': 'SlackCommandRequested',
    account: '444455556666',
    time: now.toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

const hold = { command: 'hold', pipeline: 'leadout', reason: 'Hold pressed in Slack' };

describe('a command given in Slack, run by the command function', () => {
  it('holds the pipeline in the Slack user’s name and updates the message: by whom, the Release hold button', async () => {
    const { holds, deliver } = commandFunction();

    await deliver(requested(hold));

    const standing = await holds.list('leadout');
    expect(standing.map((h) => h.by)).toEqual(['erin (Slack U0RELMGR1)']);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.detail).toMatchObject({
      command: 'hold',
      by: 'erin (Slack U0RELMGR1)',
      slack: {
        userId: 'U0RELMGR1',
        userName: 'erin',
        messageTs: '1764756000.000100',
        channelId: 'C0RELEASES',
      },
    });
    expect(slack.responses).toHaveLength(1);
    const update = slack.responses[0]!.body as {
      replace_original: boolean;
      blocks: Record<string, unknown>[];
    };
    expect(update.replace_original).toBe(true);
    expect(update.blocks[0]).toMatchObject({ type: 'header' });
    expect(JSON.stringify(update.blocks[1])).toMatch(
      /Hold\* by <@U0RELMGR1> at 09:10 UTC: leadout held by erin/,
    );
    expect(update.blocks[2]).toMatchObject({
      type: 'actions',
      block_id: 'release-guard-controls',
      elements: [
        expect.objectContaining({ action_id: 'release-guard:release-hold', confirm: expect.anything() }),
      ],
    });
  });

  it('acts once for a double click (one action key) and for a redelivery of the same event', async () => {
    const { holds, deliver } = commandFunction();
    const first = requested(hold);
    const doubleClick = requested(hold, { actionKey: first.detail.actionKey });

    await deliver(first);
    now = new Date(now.getTime() + 2_000);
    await deliver(doubleClick);
    await deliver(first);

    expect(await holds.list('leadout')).toHaveLength(1);
    expect(announced).toHaveLength(1);
    expect(slack.responses).toHaveLength(1);
    // The response_url is a capability to post into the channel: never logged.
    expect(logged.join('')).toContain('Slack action already taken');
    expect(logged.join('')).not.toContain('/actions/T0LEADOUT/');
  });

  it('releases the hold from Slack and offers Hold again', async () => {
    const { holds, deliver } = commandFunction();
    await deliver(requested(hold));

    now = new Date(now.getTime() + 60_000);
    await deliver(requested({ command: 'release-hold', pipeline: 'leadout' }));

    expect((await holds.list('leadout')).every((h) => h.endedAt !== undefined)).toBe(true);
    expect(announced.map((a) => a.detail.command)).toEqual(['hold', 'release-hold']);
    expect(announced[1]!.detail).toMatchObject({ waitingExecutionId: WAITING, by: 'erin (Slack U0RELMGR1)' });
    const update = slack.responses[1]!.body as {
      blocks: { block_id?: string; elements?: { action_id: string }[] }[];
    };
    expect(update.blocks.at(-1)!.elements!.map((e) => e.action_id)).toEqual(['release-guard:hold']);
  });

  it('refuses, to the presser alone, a Promote now for an execution that has moved on', async () => {
    const { deliver } = commandFunction();

    await deliver(
      requested({
        command: 'promote-now',
        pipeline: 'leadout',
        execution: OTHER,
        reason: 'Promote now pressed in Slack',
      }),
    );

    expect(announced).toEqual([]);
    expect(slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(slack.responses[0]!.body.text)).toContain(
      `${OTHER} is not waiting at the gate of leadout (${WAITING} is)`,
    );
  });

  it('runs rollback-now and lift-block with their own rules (not a 501)', async () => {
    const { deliver } = commandFunction();

    await deliver(
      requested({ command: 'rollback-now', pipeline: 'leadout', reason: 'Roll back now pressed in Slack' }),
    );
    await deliver(
      requested({ command: 'lift-block', pipeline: 'leadout', reason: 'Lift block pressed in Slack' }),
    );

    expect(announced.map((a) => [a.detail.command, a.detail.outcome])).toEqual([
      ['rollback-now', 'requested'],
    ]);
    expect(
      String(slack.responses[0]!.body.blocks && JSON.stringify(slack.responses[0]!.body.blocks)),
    ).toMatch(/Roll back now\* by <@U0RELMGR1>.*rollback-now of leadout requested by erin/);
    expect(String(slack.responses[1]!.body.text)).toMatch(
      /Lift block\*: the transition into Prod of leadout is open: nothing to lift/,
    );
  });

  it('answers the slash command’s status ephemerally', async () => {
    const { deliver } = commandFunction();

    await deliver(
      requested({ command: 'status', pipeline: 'leadout' }, { via: 'slash', messageBlocks: undefined }),
    );

    expect(slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(slack.responses[0]!.body.text)).toMatch(
      /^\*Release guard status\*\nleadout: · Prod open · e4625dc7-.* at the gate/,
    );
  });
});
