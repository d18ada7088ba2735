/**
 * Mutants of every consumed event type through each reaction's makeHandler, with deps that record every call
 * and answer nothing. A mutant the reaction's contract refuses must be dropped: logged with its event id, not
 * one dep call (so no write), no exception. A mutant the contract accepts may go on (against deps that know
 * nothing), and must not crash. Deps that know nothing cannot lead to an approval, so "no approval from a
 * corrupted time" is proven where the world is known: test/handlers/promote.test.ts, "promote trusts the
 * recorded bake" (random plausible timer times never approve an execution whose recorded bake is not over; red
 * when promote takes the payload's times).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { makeHandler as makeAlarmGate } from '../../handlers/alarm-gate/make-handler';
import { makeHandler as makeBakeStart } from '../../handlers/bake-start/make-handler';
import { makeHandler as makeBakeTimerSweep } from '../../handlers/bake-timer-sweep/make-handler';
import { makeHandler as makeCodeDeployReport } from '../../handlers/codedeploy-report/make-handler';
import { makeHandler as makeHistory } from '../../handlers/history/make-handler';
import { makeHandler as makeMetrics } from '../../handlers/metrics/make-handler';
import { makeHandler as makeNotify } from '../../handlers/notify/make-handler';
import { makeHandler as makePromote } from '../../handlers/promote/make-handler';
import { makeHandler as makeReconcile } from '../../handlers/reconcile/make-handler';
import { makeHandler as makeRollback } from '../../handlers/rollback/make-handler';
import { makeHandler as makeTileFollow } from '../../handlers/tile-follow/make-handler';
import { makeHandler as makeTileRestart } from '../../handlers/tile-restart/make-handler';
import { loadEvent, type FixtureName } from '../fixtures/load';
import { rawDecision } from '../notify/decision-fixtures';
import { captureLogger, guardConfig, lambdaContext, scheduledEvent } from '../handlers/harness';

const RUNS = 1_000;
const MAX_CALLS = 50;
const NOW = new Date('2026-05-12T10:30:00.000Z');
type Call = { dep: string; args: unknown[] };
type Handler = (event: unknown, context: typeof lambdaContext) => Promise<void>;

/** A dep that is an object of methods, or a function itself: every call recorded, every answer `undefined`. */
function recorder(path: string, calls: Call[]): unknown {
  return new Proxy(function dep() {}, {
    get: (_t, prop) => (prop === 'then' ? undefined : recorder(`${path}.${String(prop)}`, calls)),
    apply: (_t, _this, args: unknown[]) => {
      // Deps that know nothing can keep a reaction asking (a decision loop waiting for facts): end it there.
      if (calls.length >= MAX_CALLS) throw new Error('stub deps: too many calls');
      calls.push({ dep: path, args });
      return Promise.resolve(undefined);
    },
  });
}

function recordingDeps(calls: Call[], log: ReturnType<typeof captureLogger>): never {
  const config = guardConfig({
    pipelines: [
      {
        name: 'leadout',
        devAlarms: { namePrefix: 'leadout-dev-' },
        tileServices: [{ cluster: 'leadout-prod', services: ['tile-server'] }],
        codeDeployGroups: [{ application: 'leadout-api', deploymentGroup: 'leadout-api-prod' }],
      },
    ],
  });
  const fixed: Record<string, unknown> = {
    config,
    logger: log.logger,
    now: () => NOW,
    sleep: async () => undefined,
  };
  return new Proxy({}, { get: (_t, k: string) => (k in fixed ? fixed[k] : recorder(k, calls)) }) as never;
}

type Reaction = { name: string; make: (deps: never) => Handler; consumes: [string, () => object][] };

const fixture = (name: FixtureName) => () => loadEvent(name);
/** Scheduler delivers `detail` as a string: mutate the object, as a garbled producer would. */
const parsedDetail = (name: FixtureName) => () => {
  const e = loadEvent(name);
  return { ...e, detail: typeof e.detail === 'string' ? (JSON.parse(e.detail) as object) : e.detail };
};

const stage = ['Stage Execution State Change', fixture('codepipeline/stage-dev-succeeded-modern')] as const;
const reactions: Reaction[] = [
  { name: 'bake-start', make: makeBakeStart as never, consumes: [[...stage]] },
  {
    name: 'promote',
    make: makePromote as never,
    consumes: [
      ['Action Execution State Change', fixture('codepipeline/action-prod-approval-started')],
      ['BakeTimerFired', fixture('guard/bake-timer-fired')],
      ['BakeTimerFired (detail string)', parsedDetail('guard/bake-timer-fired-detail-string')],
    ],
  },
  {
    name: 'alarm-gate',
    make: makeAlarmGate as never,
    consumes: [
      ['CloudWatch Alarm State Change', fixture('cloudwatch/alarm-metric-ok-to-alarm')],
      ['CloudWatch Alarm State Change (composite)', fixture('cloudwatch/alarm-composite-ok-to-alarm')],
      ['CloudWatch Alarm Contributor State Change', fixture('cloudwatch/alarm-contributor-ok-to-alarm')],
    ],
  },
  {
    name: 'reconcile',
    make: makeReconcile as never,
    consumes: [['Scheduled Event', () => scheduledEvent('reconcile')]],
  },
  {
    name: 'bake-timer-sweep',
    make: makeBakeTimerSweep as never,
    consumes: [['Scheduled Event', () => scheduledEvent('bake-timer-sweep')]],
  },
  {
    name: 'rollback',
    make: makeRollback as never,
    consumes: [
      ['Stage Execution State Change (Prod failed)', fixture('codepipeline/stage-prod-failed')],
      ['Pipeline Execution State Change', fixture('codepipeline/pipeline-failed-modern')],
      ['Action Execution State Change', fixture('codepipeline/action-prod-deploy-failed')],
    ],
  },
  {
    name: 'tile-restart',
    make: makeTileRestart as never,
    consumes: [
      ['Stage Execution State Change (Prod succeeded)', fixture('codepipeline/stage-prod-succeeded')],
    ],
  },
  {
    name: 'tile-follow',
    make: makeTileFollow as never,
    consumes: [
      ['ECS Deployment State Change', fixture('ecs/deployment-completed')],
      ['CodeDeploy Deployment State-change Notification', fixture('codedeploy/deployment-success')],
      ['TileRestartStarted', fixture('guard/tile-restart-started')],
      ['TileRestartTimerFired', parsedDetail('guard/tile-restart-timer-fired-detail-string')],
    ],
  },
  {
    name: 'codedeploy-report',
    make: makeCodeDeployReport as never,
    consumes: [['CodeDeploy Deployment State-change Notification', fixture('codedeploy/deployment-failure')]],
  },
  {
    name: 'notify',
    make: makeNotify as never,
    consumes: [
      ['PromotionApproved', () => rawDecision('promotion-approved')],
      ['PromotionBlocked', () => rawDecision('promotion-blocked')],
      ['TileRestartFailed', () => rawDecision('tile-restart-failed')],
    ],
  },
  {
    name: 'metrics',
    make: makeMetrics as never,
    consumes: [
      ['PromotionApproved', () => rawDecision('promotion-approved')],
      ['RollbackStarted', () => rawDecision('rollback-started')],
    ],
  },
  {
    name: 'history',
    make: makeHistory as never,
    consumes: [
      ['PromotionApproved', () => rawDecision('promotion-approved')],
      ['PersonCommand', () => rawDecision('person-command-hold')],
    ],
  },
];

/** Every path of an event (objects included), so a mutation can hit any field at any depth. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const here = prefix.length > 0 ? [prefix] : [];
  return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

const TIMES = [
  '+275760-09-13T00:00:00.000Z',
  '1900-01-01T00:00:00Z',
  '2026-02-30T25:61:00Z',
  '9999-12-31T23:59:59Z',
  '0',
];
const isTimeField = (path: string[]) => /(time|At|timestamp|deadline)$/i.test(path.at(-1) ?? '');

const mutation = fc.oneof(
  fc.constant({ kind: 'drop' as const }),
  fc.constant({ kind: 'set' as const, value: null }),
  fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({})).map((value) => ({
    kind: 'set' as const,
    value,
  })),
  fc.constant({ kind: 'set' as const, value: 'x'.repeat(5_000) }),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => ({ kind: 'set' as const, value })),
  fc.constantFrom('\uD800', '\uDFFF', 'a\uD83D').map((s) => ({ kind: 'append' as const, value: s })),
  fc.constantFrom(...TIMES).map((value) => ({ kind: 'set' as const, value })),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => ({ kind: 'proto' as const, key })),
  fc.constantFrom('CodePipeline Stage Execution State Change', 'PromotionApproved', 'Nope').map((value) => ({
    kind: 'detail-type' as const,
    value,
  })),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(event: object, path: string[], m: Mutation): object {
  const copy = structuredClone(event) as Record<string, unknown>;
  if (m.kind === 'detail-type') return { ...copy, 'detail-type': m.value };
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (m.kind === 'drop') delete node[last];
  else if (m.kind === 'set') node[last] = m.value;
  else if (m.kind === 'append') node[last] = `${String(node[last])}${m.value}`;
  else {
    // An own property named __proto__, as JSON.parse makes it, not a prototype change.
    const target = typeof node[last] === 'object' && node[last] !== null ? node[last] : node;
    Object.assign(target as object, JSON.parse(`{"${m.key}": {"polluted": true, "pipeline": "leadout"}}`));
  }
  return copy;
}

const figures: { pair: string; mutants: number; dropped: number; acted: number; ms: number }[] = [];
afterAll(() => {
  // The figures docs/reliability.md quotes.
  console.info(JSON.stringify(figures));
});

describe('fuzz: mutants of every consumed event through each reaction', () => {
  for (const reaction of reactions) {
    for (const [typeName, base] of reaction.consumes) {
      it(`${reaction.name} × ${typeName}: ${RUNS} mutants, no write or crash on bad input`, async () => {
        const started = performance.now();
        const original = base();
        const allPaths = paths(original);
        let dropped = 0;
        let acted = 0;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...allPaths), mutation, async (path, m) => {
            // Prepare
            const calls: Call[] = [];
            const log = captureLogger();
            const handler = reaction.make(recordingDeps(calls, log));
            const event = mutate(original, path, m);

            // Act
            let thrown: unknown;
            try {
              await handler(event, lambdaContext);
            } catch (error) {
              thrown = error;
            }

            // Assess
            const refused = log.entries.some(
              (e) => e.level === 'warn' && (e.extra[0] as { invalidEvent?: boolean })?.invalidEvent,
            );
            if (refused) {
              dropped++;
              expect(calls, 'a dropped event reaches no dep').toEqual([]);
              expect(thrown, 'a dropped event is not retried').toBeUndefined();
              return;
            }
            acted++;
            const approvals = calls.filter(
              (c) => c.dep.endsWith('answerGate') && JSON.stringify(c.args).includes('Approved'),
            );
            if (isTimeField(path)) expect(approvals, 'no approval from a corrupted time').toEqual([]);
          }),
          { numRuns: RUNS, seed: 11 },
        );
        figures.push({
          pair: `${reaction.name} × ${typeName}`,
          mutants: RUNS,
          dropped,
          acted,
          ms: Math.round(performance.now() - started),
        });
        expect(dropped).toBeGreaterThan(RUNS / 4);
      });
    }
  }
});
