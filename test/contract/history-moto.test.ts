/**
 * The decision history against moto_server's DynamoDB: the history function keeps each announced decision once
 * (copies with new event ids and times included), and `release-guard history` reads it back through the command
 * function's URL handler, newest first, with who and why and the DORA-style figures of the period.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { parseGuardConfig } from '../../config/schema';
import { makeHandler as makeCommand, type CommandHandlerDeps } from '../../handlers/command/make-handler';
import { makeHandler as makeHistoryKeeper } from '../../handlers/history/make-handler';
import { makeHistory } from '../../lib/aws/history';
import type { HistoryEntry } from '../../lib/history/history-entry';
import type { DoraFigures } from '../../lib/history/dora';
import { captureLogger, lambdaContext } from '../handlers/harness';
import { rawDecision } from '../notify/decision-fixtures';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';

const A = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const R = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const config = parseGuardConfig(
  {
    slackWebhookParameter: '/leadout/slack',
    pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'x-' } }],
  },
  'test config',
);
const urlRequest = JSON.parse(
  readFileSync(new URL('../fixtures/lambda/function-url-iam.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** A decision event as EventBridge delivers it: a fixture with its own key, time and detail changes. */
function decision(name: string, key: string, time: string, change: Record<string, unknown> = {}) {
  const raw = rawDecision(name) as { detail: Record<string, unknown> };
  return { ...raw, id: randomUUID(), time, detail: { ...raw.detail, decisionKey: key, ...change } };
}

const unused = () => {
  throw new Error('not used by history');
};

const keeperLog = captureLogger();
let dynamo: DynamoDBClient;
let table: string;
let answer: (body: Record<string, unknown>) => Promise<{ statusCode: number; body: Record<string, unknown> }>;

beforeAll(async () => {
  dynamo = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
  table = await createLedgerTable(dynamo, `history-${randomUUID().slice(0, 8)}`);
  const history = makeHistory(dynamo, table);
  const keep = makeHistoryKeeper({ config, history, logger: keeperLog.logger });
  const events = [
    decision('person-command-hold', 'leadout hold h1', '2026-05-12T09:30:00Z'),
    decision('promotion-approved', 'leadout approve A', '2026-05-12T14:05:03Z'),
    decision('rollback-started', `leadout rollback ${A}`, '2026-05-12T15:12:40Z'),
    decision('promotion-approved', 'leadout approve R', '2026-05-12T15:30:40Z', {
      executionId: R,
      rollbackOf: A,
      bakedMinutes: 0,
      trigger: 'gate-started',
      summary: 'Approved by release-guard: the restore of A, known good, without a bake.',
    }),
    // A copy of the first approval, re-announced later with a new event id (the outbox, a redelivery).
    decision('promotion-approved', 'leadout approve A', '2026-05-12T14:20:00Z'),
  ];
  for (const event of events) await keep(event as never, lambdaContext);

  const command = makeCommand({
    config,
    history,
    holds: { list: unused },
    overrides: { get: unused },
    codepipeline: { getGateState: unused },
    transitions: { getProdView: unused },
    releases: { getRelease: unused, releasesSince: unused },
    actor: { act: unused } as unknown as CommandHandlerDeps['actor'],
    logger: captureLogger().logger,
    now: () => new Date('2026-05-13T08:00:00Z'),
  });
  answer = async (body) => {
    const result = (await command({ ...urlRequest, body: JSON.stringify(body) }, lambdaContext)) as {
      statusCode: number;
      body: string;
    };
    return { statusCode: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
  };
}, 60_000);

describe('the decision history on DynamoDB (moto)', () => {
  it('keeps one line per decision key, whatever the copies, in history#<pipeline> with the TTL', async () => {
    const items = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pipeline = :p',
        ExpressionAttributeValues: { ':p': { S: 'history#leadout' } },
      }),
    );

    expect(items.Items?.map((i) => i.executionId?.S)).toEqual([
      '2026-05-12T09:30:00.000Z#leadout hold h1',
      '2026-05-12T14:05:03.000Z#leadout approve A',
      `2026-05-12T15:12:40.000Z#leadout rollback ${A}`,
      '2026-05-12T15:30:40.000Z#leadout approve R',
    ]);
    // 400 days (config historyDays default) after the decision.
    expect(Number(items.Items?.[1]?.expiresAt?.N)).toBe(
      Date.parse('2026-05-12T14:05:03Z') / 1000 + 400 * 86_400,
    );
  });

  it('answers `history <pipeline>` to any IAM-verified caller, newest first, with who and why', async () => {
    // Act: the fixture's caller, with no `people` configured (only reads are open)
    const { statusCode, body } = await answer({
      command: 'history',
      pipeline: 'leadout',
      since: '2026-05-01',
    });

    // Assess
    expect(statusCode).toBe(200);
    const entries = body.entries as HistoryEntry[];
    expect(entries.map((e) => [e.at, e.decision])).toEqual([
      ['2026-05-12T15:30:40.000Z', 'PromotionApproved'],
      ['2026-05-12T15:12:40.000Z', 'RollbackStarted'],
      ['2026-05-12T14:05:03.000Z', 'PromotionApproved'],
      ['2026-05-12T09:30:00.000Z', 'PersonCommand hold'],
    ]);
    expect(entries[3]).toMatchObject({
      who: 'arn:aws:sts::444455556666:assumed-role/Developer/ana',
      reason: expect.stringContaining('odd 5xx in Dev'),
    });
    expect(entries[1]).toMatchObject({ executionId: A, commitId: expect.stringMatching(/^3b9e7c2d/) });
    expect(body.message).toMatch(/^leadout since 2026-05-01T00:00:00.000Z: 4 decision\(s\)\n/);
  });

  it('comes with the DORA-style figures of the period', async () => {
    const { body } = await answer({ command: 'history', pipeline: 'leadout', since: '30d' });

    expect(body.figures as DoraFigures).toEqual({
      since: '2026-04-13T08:00:00.000Z',
      until: '2026-05-13T08:00:00.000Z',
      deploymentsToProd: 2,
      prodFailures: 1,
      changeFailureRate: 0.5,
      restored: 1,
      notRestored: 0,
      medianMinutesToRestore: 18,
      medianLeadTimeMinutes: 60,
    });
    expect(body.message).toContain('change failure rate 50 %');
  });

  it('starts at --since: older decisions are left out', async () => {
    const { body } = await answer({ command: 'history', pipeline: 'leadout', since: '2026-05-12T15:00:00Z' });

    expect((body.entries as HistoryEntry[]).map((e) => e.decision)).toEqual([
      'PromotionApproved',
      'RollbackStarted',
    ]);
  });

  it('refuses a pipeline the guard does not watch and a since in the future', async () => {
    await expect(answer({ command: 'history', pipeline: 'other' })).resolves.toMatchObject({
      statusCode: 404,
    });
    await expect(
      answer({ command: 'history', pipeline: 'leadout', since: '2027-01-01T00:00:00Z' }),
    ).resolves.toMatchObject({ statusCode: 400, body: { message: expect.stringContaining('since') } });
  });

  it("logs the restore's time to Prod when the restore's approval arrives, and who for a person's decision", () => {
    const kept = keeperLog.entries.filter((e) => e.message === 'Decision kept').map((e) => e.extra[0]);

    expect(kept).toContainEqual(
      expect.objectContaining({ decisionKey: 'leadout approve R', restoreToProdSeconds: 18 * 60 }),
    );
    expect(kept).toContainEqual(
      expect.objectContaining({
        decision: 'PersonCommand hold',
        who: 'arn:aws:sts::444455556666:assumed-role/Developer/ana',
      }),
    );
    expect(keeperLog.entries.filter((e) => e.message === 'Decision already kept: a copy')).toHaveLength(1);
  });
});
