import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { decisionContracts } from '../../events/guard/catalog';
import { makeHandler } from '../../handlers/metrics/make-handler';
import { measureDecision } from '../../handlers/metrics/measure-decision';
import { publishWith } from '../../handlers/metrics/publish';
import { makeMetricClaims } from '../../lib/aws/metric-claims';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';
import { captureLogger, lambdaContext } from '../handlers/harness';
import { decisionFixtureNames, loadDecision, rawDecision } from './decision-fixtures';

afterEach(() => vi.restoreAllMocks());

const metricsOf = (name: string) => {
  const m = measureDecision(loadDecision(name));
  return { dimensions: m.dimensions, metrics: Object.fromEntries(m.metrics.map((x) => [x.name, x.value])) };
};

describe('release-safety metrics of each decision', () => {
  it.each([
    ['bake-started', { pipeline: 'leadout', mode: 'enforce' }, { BakesStarted: 1 }],
    ['bake-started-dev-restore', { pipeline: 'leadout', mode: 'enforce' }, { BakesStarted: 1 }],
    ['bake-started-prod-restore', { pipeline: 'leadout', mode: 'enforce' }, {}],
    [
      'promotion-approved',
      { pipeline: 'leadout', mode: 'enforce' },
      { PromotionsApproved: 1, BakedMinutes: 60 },
    ],
    [
      'promotion-rejected-superseded',
      { pipeline: 'leadout', mode: 'enforce', reason: 'superseded' },
      { PromotionsRejected: 1 },
    ],
    [
      'promotion-rejected-alarm',
      { pipeline: 'leadout', mode: 'enforce', reason: 'alarm' },
      { PromotionsRejected: 1 },
    ],
    [
      'promotion-blocked',
      { pipeline: 'leadout', mode: 'enforce' },
      { PromotionsBlocked: 1, AlarmToBlockSeconds: 7 },
    ],
    [
      'promotion-unblocked',
      { pipeline: 'leadout', mode: 'enforce', outcome: 'enabled' },
      { PromotionsUnblocked: 1 },
    ],
    [
      'rollback-started',
      { pipeline: 'leadout', mode: 'enforce', path: 'rollback-stage' },
      { RollbacksStarted: 1 },
    ],
    [
      'rollback-skipped',
      { pipeline: 'leadout', mode: 'enforce', reason: 'no-known-good-release' },
      { RollbacksSkipped: 1 },
    ],
    [
      'tile-restart-started',
      { pipeline: 'leadout', mode: 'enforce', outcome: 'started' },
      { TileRestarts: 1 },
    ],
    [
      'tile-restart-completed',
      { pipeline: 'leadout', mode: 'enforce', outcome: 'completed' },
      { TileRestarts: 1, TileRestartSeconds: 213 },
    ],
    ['tile-restart-failed', { pipeline: 'leadout', mode: 'enforce', outcome: 'failed' }, { TileRestarts: 1 }],
    ['guard-failed', { pipeline: 'leadout', mode: 'enforce', reaction: 'promote' }, { GuardFailures: 1 }],
    ['promotion-held', { pipeline: 'leadout', mode: 'enforce' }, { PromotionsHeld: 1 }],
    ['person-command-hold', { pipeline: 'leadout', mode: 'enforce', command: 'hold' }, { PersonCommands: 1 }],
  ])('%s', (name, dimensions, metrics) => {
    expect(metricsOf(name)).toEqual({ dimensions, metrics });
  });

  it('covers every decision type of the catalog', () => {
    const measured = new Set(decisionFixtureNames.map((n) => loadDecision(n)['detail-type']));
    expect([...measured].sort()).toEqual(decisionContracts.map((c) => c.detailType).sort());
    // Every decision counts something, but a restore of a Prod failure passing Dev: it is not a bake.
    for (const name of decisionFixtureNames.filter((n) => n !== 'bake-started-prod-restore'))
      expect(measureDecision(loadDecision(name)).metrics.length).toBeGreaterThan(0);
  });
});

describe('the metrics function', () => {
  it('stamps a decision too old for CloudWatch (a late redrive) with the time of publishing', () => {
    const stamps: unknown[] = [];
    const metrics = {
      addDimensions: () => metrics,
      addMetric: () => metrics,
      setTimestamp: (t: unknown) => (stamps.push(t), metrics),
      publishStoredMetrics: () => undefined,
    };
    const now = Date.parse('2026-06-01T00:00:00Z');
    const publish = publishWith(metrics as never, () => now);

    publish({ ...measureDecision(loadDecision('bake-started')), at: '2026-05-12T13:05:04Z' });
    publish({ ...measureDecision(loadDecision('bake-started')), at: '2026-05-31T23:00:00Z' });

    expect(stamps).toEqual([now, Date.parse('2026-05-31T23:00:00Z')]);
  });

  it('writes one embedded-metric-format record per decision, at the decision time', async () => {
    // Prepare: the real Powertools Metrics writing to stdout, as in Lambda.
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    const metrics = new Metrics({ namespace: 'LeadOut/ReleaseGuard', serviceName: 'release-guard' });
    const time = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const handler = makeHandler({
      publish: publishWith(metrics),
      claims: { claim: async () => true },
      logger: captureLogger().logger,
    });

    // Act
    await handler({ ...rawDecision('promotion-blocked'), time }, lambdaContext);

    // Assess
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => '_aws' in l);
    expect(emf).toMatchObject({
      _aws: {
        Timestamp: Date.parse(time),
        CloudWatchMetrics: [
          {
            Namespace: 'LeadOut/ReleaseGuard',
            Dimensions: [expect.arrayContaining(['pipeline', 'mode'])],
            Metrics: [
              { Name: 'PromotionsBlocked', Unit: 'Count' },
              { Name: 'AlarmToBlockSeconds', Unit: 'Seconds' },
            ],
          },
        ],
      },
      pipeline: 'leadout',
      mode: 'enforce',
      PromotionsBlocked: 1,
      AlarmToBlockSeconds: 7,
    });
  });

  it('counts a decision once, however many copies of it arrive (same decisionKey, new event ids)', async () => {
    // Prepare: the release ledger on moto, as the function's own claims
    const dynamo = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
    const table = `metrics-test-${randomUUID()}`;
    await createLedgerTable(dynamo, table);
    const published: unknown[] = [];
    const handler = makeHandler({
      publish: (m) => published.push(m),
      claims: makeMetricClaims(dynamo, table, () => new Date('2026-05-12T14:05:03Z')),
      logger: captureLogger().logger,
    });
    const first = rawDecision('promotion-approved');
    (first.detail as Record<string, unknown>).decisionKey = `leadout gate approve ${randomUUID()}`;
    const copy = { ...structuredClone(first), id: randomUUID() };
    const other = { ...rawDecision('promotion-blocked'), id: randomUUID() };

    // Act
    await handler(first, lambdaContext);
    await handler(copy, lambdaContext);
    await handler(first, lambdaContext);
    await handler(other, lambdaContext);
    await handler(other, lambdaContext);

    // Assess
    expect(published).toHaveLength(2);
    const { Items } = await dynamo.send(new ScanCommand({ TableName: table }));
    expect(Items?.map((i) => i.pipeline?.S)).toEqual(['metric#leadout', 'metric#leadout']);
    expect(Items?.every((i) => Number(i.expiresAt?.N) > Date.parse('2026-05-12') / 1000)).toBe(true);
    dynamo.destroy();
  });
});
