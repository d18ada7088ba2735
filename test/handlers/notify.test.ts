import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { decisionEvent } from '../../events/guard/decision-event';
import { makeHandler, NotificationInFlightError } from '../../handlers/notify/make-handler';
import { makeNotificationLedger } from '../../lib/aws/notification-ledger';
import { GetParameterCommand, ssmClient, type SsmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { makeSlackPoster } from '../../lib/slack-webhook';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';
import { decisionFixtureNames, rawDecision } from '../notify/decision-fixtures';
import { fakeSlack, type SlackAnswer } from '../notify/fake-slack-server';
import { lambdaContext } from './harness';

/** The secret part of a Slack webhook URL: it must never reach a log line or an error. */
const SECRET = 'XsEcReTwEbHoOkToKeN42';
const PARAMETER = '/leadout/release-guard/test/slack-webhook';
const LEASE_MS = 90_000;

let table: string;
let dynamo: DynamoDBClient;
let ssm: SSMClient;
/** The handler's own reader (lib/aws/ssm.ts, signed calls), against moto. */
let ssmReader: SsmClient;
let slack: Awaited<ReturnType<typeof fakeSlack>>;
/** Everything the function logged (stdout and stderr). */
let stdout: string[];
let now: number;

beforeAll(async () => {
  const config = motoClientConfig(inject('motoEndpoint'));
  dynamo = new DynamoDBClient(config);
  ssm = new SSMClient(config);
  ssmReader = ssmClient(config);
  table = `notify-test-${randomUUID()}`;
  await createLedgerTable(dynamo, table);
});

afterAll(() => {
  dynamo.destroy();
  ssm.destroy();
});

async function slackAnswering(answers: SlackAnswer[]) {
  slack = await fakeSlack(answers);
  await ssm.send(
    new PutParameterCommand({
      Name: PARAMETER,
      Type: 'SecureString',
      Value: slack.url(`/services/T0LEADOUT/B0GUARD/${SECRET}`),
      Overwrite: true,
    }),
  );
}

beforeEach(() => {
  now = Date.parse('2026-05-12T14:05:03Z');
  stdout = [];
  // Powertools writes INFO to stdout and ERROR to stderr: keep both, as CloudWatch Logs would.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      stdout.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  await slack?.close();
});

/** The real wiring of handler.ts over moto's DynamoDB and SSM, the local Slack, and a real Powertools logger. */
function prepare(options: { dynamo?: DynamoDBClient } = {}) {
  const logger = new Logger({ serviceName: 'release-guard', logLevel: 'DEBUG' });
  const ssmSend = vi.spyOn(ssmReader, 'send');
  const handler = makeHandler({
    ledger: makeNotificationLedger(options.dynamo ?? dynamo, table, { leaseMs: LEASE_MS, now: () => now }),
    slack: makeSlackPoster({
      url: makeSecureParameter(ssmReader, PARAMETER, { maxAgeMs: 300_000, now: () => now }),
      sleep: async () => undefined,
    }),
    logger,
  });
  return {
    invoke: (event: unknown) => handler(structuredClone(event), lambdaContext),
    parameterReads: () => ssmSend.mock.calls.filter(([c]) => c instanceof GetParameterCommand).length,
  };
}

/** A fresh event id per test: the ledger table is shared by the whole file. */
function decision(name: string): Record<string, unknown> {
  return { ...rawDecision(name), id: randomUUID() };
}

describe('notify: one Slack message per decision', () => {
  it('posts the rendered message once, and drops a redelivery of the same event', async () => {
    // Prepare
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke, parameterReads } = prepare();
    const event = decision('promotion-blocked');

    // Act
    await invoke(event);
    await invoke(event);

    // Assess
    expect(slack.posts).toHaveLength(1);
    const body = slack.posts[0]!.body as { text: string; blocks: unknown[] };
    expect(body.text).toBe(':octagonal_sign: Prod stopped for leadout: Dev alarm leadout-dev-api-5xx');
    expect(body.blocks.length).toBeGreaterThan(3);
    expect(parameterReads()).toBe(1);
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: { pipeline: { S: '#notifications' }, executionId: { S: `notified#${String(event.id)}` } },
      }),
    );
    expect(Item?.notified?.S).toBe('posted');
    expect(Item?.detailType?.S).toBe('PromotionBlocked');
  });

  it('posts once for a decision announced twice (a new event id, the same decisionKey)', async () => {
    // Prepare: the outbox re-announced a decision whose first PutEvents went through but was not marked.
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke } = prepare();
    const first = decision('promotion-approved');
    const decisionKey = `leadout gate approve ${randomUUID()}`;
    (first.detail as Record<string, unknown>).decisionKey = decisionKey;
    const again = { ...structuredClone(first), id: randomUUID() };

    // Act
    await invoke(first);
    await invoke(again);

    // Assess
    expect(slack.posts).toHaveLength(1);
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: { pipeline: { S: '#notifications' }, executionId: { S: `notified#${decisionKey}` } },
      }),
    );
    expect(Item?.notified?.S).toBe('posted');
  });

  it('gives two different decisions two messages, with the webhook URL read from SSM once', async () => {
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke, parameterReads } = prepare();

    await invoke(decision('bake-started'));
    await invoke(decision('promotion-approved'));

    expect(slack.posts).toHaveLength(2);
    expect(parameterReads()).toBe(1);
  });

  it('lets only one of two concurrent deliveries post; the other throws to come back later', async () => {
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke } = prepare();
    const event = decision('promotion-approved');

    const results = await Promise.allSettled([invoke(event), invoke(event)]);

    expect(slack.posts).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(NotificationInFlightError);
    // The Lambda retry of the loser finds the message posted and stays silent.
    await invoke(event);
    expect(slack.posts).toHaveLength(1);
  });

  it('throws when Slack keeps failing, and the retry posts exactly once', async () => {
    // Prepare: four 500s use up the first invocation's attempts, then Slack recovers.
    await slackAnswering([
      { status: 500, body: 'internal_error' },
      { status: 500, body: 'internal_error' },
      { status: 500, body: 'internal_error' },
      { status: 500, body: 'internal_error' },
      { status: 200, body: 'ok' },
    ]);
    const { invoke } = prepare();
    const event = decision('rollback-skipped');

    // Act + Assess: the first invocation fails (the async invoke retries it), the retry posts, a third is silent.
    await expect(invoke(event)).rejects.toThrow(
      'Slack did not take the message after 4 attempt(s): HTTP 500',
    );
    now += 60_000;
    await invoke(event);
    await invoke(event);
    expect(slack.posts).toHaveLength(5);
    expect(
      slack.posts.filter((p, i) => i === 4 && (p.body as { text: string }).text.includes('No rollback')),
    ).toHaveLength(1);
  });

  it('after a crash between the post and its record, posts again only once the lease is over', async () => {
    // Prepare: recording "posted" fails, as if the Lambda died right after Slack's 200.
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const broken = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
    const send = broken.send.bind(broken) as (c: unknown) => Promise<unknown>;
    vi.spyOn(broken, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof UpdateItemCommand && command.input.UpdateExpression?.includes('notified')) {
        throw new Error('connection reset');
      }
      return send(command);
    }) as never);
    const event = decision('tile-restart-failed');

    // Act
    await prepare({ dynamo: broken }).invoke(event);
    const duringLease = prepare().invoke(event);
    await expect(duringLease).rejects.toBeInstanceOf(NotificationInFlightError);
    now += LEASE_MS + 1;
    await prepare().invoke(event);

    // Assess: the one case that errs towards a second message rather than none (lib/aws/notification-ledger.ts).
    expect(slack.posts).toHaveLength(2);
    broken.destroy();
  });

  it.each(decisionFixtureNames)(
    'posts %s with a lone surrogate in every text field, as valid Slack text',
    async (name) => {
      // Prepare: every string of the detail ends in a lone high surrogate
      await slackAnswering([{ status: 200, body: 'ok' }]);
      const { invoke } = prepare();
      const event = decision(name);
      const odd = withLoneSurrogates(event);
      expect(JSON.stringify(odd)).toContain('\\ud800');

      // Act
      await invoke(odd);

      // Assess: one post, whose JSON holds no unpaired surrogate escape
      expect(slack.posts).toHaveLength(1);
      expect(JSON.stringify(slack.posts[0]!.body)).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
    },
  );

  it('keys a 2,000-character decision key within the 1,024 bytes of a DynamoDB key, and still posts once', async () => {
    // Prepare
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke } = prepare();
    const first = decision('promotion-approved');
    (first.detail as Record<string, unknown>).decisionKey = `leadout ${randomUUID()} ${'k'.repeat(2_000)}`;
    const again = { ...structuredClone(first), id: randomUUID() };

    // Act
    await invoke(first);
    await invoke(again);

    // Assess
    expect(slack.posts).toHaveLength(1);
  });

  it('drops an event that is not a decision, without posting', async () => {
    await slackAnswering([{ status: 200, body: 'ok' }]);
    const { invoke } = prepare();

    await invoke({ ...decision('bake-started'), 'detail-type': 'BakeTimerFired' });

    expect(slack.posts).toHaveLength(0);
  });
});

describe('the webhook secret', () => {
  it('never appears in any log line, whatever Slack answers', async () => {
    // Prepare: success, 429 too long to wait, 500s, 404, and no server at all.
    const outcomes: unknown[] = [];
    for (const answers of [
      [{ status: 200, body: 'ok' }],
      [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '120' } }],
      [{ status: 500, body: 'internal_error' }],
      [{ status: 404, body: 'no_service' }],
    ] satisfies SlackAnswer[][]) {
      await slackAnswering(answers);
      outcomes.push(
        await prepare()
          .invoke(decision('promotion-approved'))
          .catch((e: unknown) => e),
      );
      await slack.close();
    }
    outcomes.push(
      await prepare()
        .invoke(decision('guard-failed'))
        .catch((e: unknown) => e),
    );

    // Assess: the logs say what happened, and neither they nor the errors (which reach the DLQ) hold the secret.
    const logs = stdout.join('');
    expect(logs).toContain('Posted to Slack');
    expect(logs).toContain('HTTP 429 rate_limited, and asked to wait 120 s');
    expect(logs).toContain('no response (ECONNREFUSED)');
    expect(logs).not.toContain(SECRET);
    expect(outcomes.filter((o) => o instanceof Error)).toHaveLength(4);
    for (const o of outcomes) {
      expect(String(JSON.stringify(o instanceof Error ? [o.message, o.stack] : o))).not.toContain(SECRET);
    }
  });
});

/**
 * `event` with a lone high surrogate ('\uD800') at the end of every string of its detail that the contract lets
 * through as it is (ids, names and free text; enums stay as they are).
 */
function withLoneSurrogates(event: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(event);
  const visit = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (value && typeof value === 'object') visit(value as Record<string, unknown>);
      if (typeof value !== 'string') continue;
      node[key] = `${value}\uD800`;
      if (!decisionEvent.safeParse(out).success) node[key] = value;
    }
  };
  visit(out.detail as Record<string, unknown>);
  return out;
}
