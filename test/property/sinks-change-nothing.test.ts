/**
 * Invariants 1, 2 and 3 run the deciding functions only (`withoutSinks`, release-plans.ts): the claim that lets
 * them is that the announcement sinks (notify, metrics, history) change nothing the deciding functions do. This
 * checks it on the same kinds of random schedules: each run with every function and without the sinks, the
 * timelines less the sinks' own entries are the same — every call, answer, fault, decision, invocation, event and
 * guard event, in order, with the same ids and times. A deciding function that came to read a sink's records, or a
 * sink that came to emit onto the bus or to move the world, turns this red.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../simulator/world/timeline';
import { deliveryArb, scenarioOf } from './invariant-2-property';
import {
  planArb,
  planWithOverridesArb,
  runPlan,
  runResolved,
  withoutSinks,
  type PlanRun,
} from './release-plans';
import { rollbackPlanArb, rollbackScenario } from './rollback-plans';
import { ANNOUNCEMENT_SINKS } from './sink-isolation';
import { installWorldTap } from './world-tap';

const RUNS = Number(process.env.SINK_RUNS ?? 80);
const SEED = Number(process.env.FC_SEED ?? 20261204);
const SINKS = new Set(ANNOUNCEMENT_SINKS);

let uninstall: () => void;
beforeAll(() => {
  uninstall = installWorldTap();
});
afterAll(() => uninstall());

/** A run's timeline without what the sinks did, and the world's own events. */
function deciders({ run, emitted }: PlanRun): unknown[] {
  const own = (t: TimelineEntry): TimelineEntry[] => {
    switch (t.kind) {
      case 'aws-call':
      case 'fault':
        return SINKS.has(t.caller) ? [] : [t];
      case 'invocation':
      case 'dlq':
        return SINKS.has(t.function) ? [] : [t];
      case 'decision':
        return SINKS.has(t.reaction) ? [] : [t];
      // Only notify posts here: a deciding function answers in Slack only after a click, and runs without the sinks
      // refuse scenarios with one (release-plans.ts).
      case 'slack':
        return [];
      case 'event':
        return [{ ...t, delivered: t.delivered.filter((name) => !SINKS.has(name)) }];
      case 'world':
        return [...SINKS].some((sink) => t.summary.startsWith(`${sink} `)) ? [] : [t];
      default:
        return [t];
    }
  };
  return [run.timeline.flatMap(own), emitted];
}

/** Runs in which the sinks did run in the full world (the comparison is not vacuous), per test. */
let sinksRan = 0;

async function expectSame(all: Promise<PlanRun>, without: () => Promise<PlanRun>): Promise<void> {
  const everything = await all;
  if (everything.run.timeline.some((t) => t.kind === 'invocation' && SINKS.has(t.function))) sinksRan++;
  expect(deciders(await without())).toEqual(deciders(everything));
}

beforeEach(() => {
  sinksRan = 0;
});
afterEach(() => {
  expect(sinksRan).toBeGreaterThan(RUNS / 2);
});

describe('the announcement sinks change nothing the deciding functions do', () => {
  it(`release schedules with overrides (invariant 1's), ${RUNS} runs`, async () => {
    await fc.assert(
      fc.asyncProperty(planWithOverridesArb, (plan) =>
        expectSame(runPlan(plan), () => runPlan(plan, { rules: withoutSinks })),
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);

  it(`alarm schedules with the reconciler, lost, late and duplicate alarm events (invariant 2's), ${RUNS} runs`, async () => {
    await fc.assert(
      fc.asyncProperty(planArb, deliveryArb, (plan, delivery) =>
        expectSame(runResolved(scenarioOf(plan, delivery)), () =>
          runResolved(scenarioOf(plan, delivery), { rules: withoutSinks }),
        ),
      ),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  }, 600_000);

  it(`failures, failing restores and pipeline edits (invariant 3's), ${RUNS} runs`, async () => {
    await fc.assert(
      fc.asyncProperty(rollbackPlanArb, (plan) =>
        expectSame(runResolved(rollbackScenario(plan)), () =>
          runResolved(rollbackScenario(plan), { rules: withoutSinks }),
        ),
      ),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  }, 600_000);
});
