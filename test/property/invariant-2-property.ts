/**
 * Safety invariant 2 (product brief), over random schedules run through the simulator with the alarm gate, the
 * reconciler and the bake timer sweep: the guard never enables a transition that it did not disable. People
 * freeze and unfreeze Prod at random moments, alarms flap (every state, both INSUFFICIENT_DATA policies), and
 * EventBridge loses, delays and duplicates alarm events; the reconciler runs every 3–20 minutes. The oracle reads
 * every transition change the world saw (transition-tap.ts), never the guard's own records. Invariant 1 is
 * checked on the same runs, since the reconciler can now trigger promotions.
 *
 * The 10,000 runs are two files of 5,000 with their own seeds (invariant-2.test.ts, invariant-2b.test.ts), so that
 * vitest's two workers share them; each file is this property with its seed.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import { functionRules, functionSchedules } from '../../events/rules';
import type { Scenario } from '../../simulator/scenario';
import { executionsOf, invariant1Violations } from './invariant-1-oracle';
import { planArb, planScenario, runResolved, withoutSinks, type Plan } from './release-plans';
import { installTransitionTap, invariant2Violations, transitionsOf } from './transition-tap';
import { installWorldTap } from './world-tap';

/** The runs of both files together (INV2_RUNS); the first file takes the odd one. */
const TOTAL_RUNS = Number(process.env.INV2_RUNS ?? 10_000);
/** The first file's seed (FC_SEED for another); the second file's is the next one. */
const SEED = Number(process.env.FC_SEED ?? 20261127);
export const HALVES = [
  { seed: SEED, numRuns: Math.ceil(TOTAL_RUNS / 2) },
  { seed: SEED + 1, numRuns: Math.floor(TOTAL_RUNS / 2) },
] as const;

const config = parseGuardConfig({
  slackWebhookParameter: '/x',
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
});
const GUARD_FUNCTIONS = new Set([
  ...Object.keys(functionRules(config)),
  ...Object.keys(functionSchedules(config)),
]);
const ALARM_EVENT = 'CloudWatch Alarm State Change';

type AlarmDelivery = {
  reconcileMinutes: number;
  /** Whole minutes at which a person freezes (false) or reopens (true) Prod, on top of the plan's. */
  people: { at: number; enabled: boolean; reason: string }[];
  lose?: { at: number; state?: 'ALARM' | 'OK' };
  delay?: { at: number; minutes: number; state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' };
  duplicates: number[];
};

export const deliveryArb: fc.Arbitrary<AlarmDelivery> = fc.record(
  {
    reconcileMinutes: fc.integer({ min: 3, max: 20 }),
    people: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 300 }),
        enabled: fc.boolean(),
        reason: fc.constantFrom(
          'Release freeze',
          'Hold - investigating',
          'release-guard maintenance (by hand)',
        ),
      }),
      { maxLength: 4 },
    ),
    lose: fc.record(
      { at: fc.integer({ min: 0, max: 200 }), state: fc.constantFrom('ALARM', 'OK') },
      { requiredKeys: ['at'] },
    ),
    delay: fc.record({
      at: fc.integer({ min: 0, max: 200 }),
      minutes: fc.integer({ min: 1, max: 30 }),
      state: fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA'),
    }),
    duplicates: fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 3 }),
  },
  { requiredKeys: ['reconcileMinutes', 'people', 'duplicates'] },
);

/** The plan's scenario with the reconciler running and alarm events lost, delayed and duplicated. */
export function scenarioOf(plan: Plan, d: AlarmDelivery): Scenario {
  const base = planScenario(plan);
  const alarmPattern = (state?: string) => ({
    'detail-type': [ALARM_EVENT],
    ...(state ? { detail: { state: { value: [state] } } } : {}),
  });
  const steps: Scenario['timeline'] = [
    ...d.people.map((p) => ({
      at: p.at,
      transition: {
        stage: 'Prod',
        enabled: p.enabled,
        reason: p.enabled ? undefined : p.reason,
        by: 'ana (team lead)',
      },
    })),
    ...(d.lose ? [{ at: d.lose.at, lose: alarmPattern(d.lose.state) }] : []),
    ...(d.delay
      ? [{ at: d.delay.at, delay: { pattern: alarmPattern(d.delay.state), minutes: d.delay.minutes } }]
      : []),
    ...d.duplicates.map((at) => ({ at, redeliver: alarmPattern() })),
  ];
  return {
    ...base,
    name: 'invariant 2 property',
    // The bake timer sweep never touches a transition: only the reconciler runs, to keep 10,000 runs quick.
    scheduled: ['reconcile'],
    // The reconciler adds a run every few minutes: a shorter quiet tail keeps 10,000 runs quick.
    runFor: Math.min(base.runFor, 120),
    config: { ...base.config, reconcileMinutes: d.reconcileMinutes },
    timeline: [...base.timeline, ...steps],
  };
}

/** Registers the property over `numRuns` schedules from `seed`: one file's half of the 10,000. */
export function describeInvariant2({ seed, numRuns }: { seed: number; numRuns: number }): void {
  let uninstall: (() => void)[] = [];
  beforeAll(() => {
    uninstall = [installWorldTap(), installTransitionTap()];
  });
  afterAll(() => uninstall.forEach((u) => u()));

  describe('safety invariant 2: the guard never enables a transition that it did not disable', () => {
    it(`holds over ${numRuns} random schedules of alarms, freezes, lost, late and duplicate alarm events (seed ${seed})`, async () => {
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(planArb, deliveryArb, async (plan, delivery) => {
          // The deciding functions only: the announcement sinks change nothing they do (release-plans.ts).
          const { result, changes } = await transitionsOf(() =>
            runResolved(scenarioOf(plan, delivery), { rules: withoutSinks }),
          );
          const violations = [
            ...invariant2Violations(changes, GUARD_FUNCTIONS),
            ...invariant1Violations(
              result.scenario,
              result.run.timeline,
              result.emitted,
              executionsOf(result.run),
            ),
          ];
          if (violations.length > 0) {
            throw new Error(`${violations.join('\n')}\n--- scenario ---\n${stringify(result.scenario)}`);
          }
        }),
        { numRuns, seed },
      );
      console.info(
        `invariant 2 (seed ${seed}): ${numRuns} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }, 1_800_000);
  });
}
