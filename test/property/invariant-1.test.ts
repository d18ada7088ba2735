/**
 * Safety invariant 1 (product brief), over random release schedules run through the simulator: no
 * execution is approved into Prod unless it finished Dev ≥ bake minutes earlier, no selected Dev alarm was
 * in ALARM at any moment since, and no newer execution has succeeded in Dev since; duplicates never give a
 * second approval or a second PromotionApproved. The oracle reads the world (what CodePipeline and
 * CloudWatch really did) and the scenario, never the guard's own records.
 *
 * The seed is fixed so that a run is reproducible; on failure fast-check prints the seed, the path and the
 * shrunk plan, and the error carries the failing scenario as YAML for `npm run simulate -- <file>`.
 * Another seed: FC_SEED=123 npx vitest run test/property.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../simulator/scenario';
import { executionsOf, invariant1Violations } from './invariant-1-oracle';
import { planWithOverridesArb, runPlan, startTimeOf, withoutSinks, type Plan } from './release-plans';
import { installWorldTap } from './world-tap';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const NUM_RUNS = Number(process.env.INV1_RUNS ?? 10_000);

let uninstall: () => void;
beforeAll(() => {
  uninstall = installWorldTap();
});
afterAll(() => uninstall());

function failure(scenario: Scenario, violations: string[]): Error {
  return new Error(`${violations.join('\n')}\n--- scenario ---\n${stringify(scenario)}`);
}

describe('safety invariant 1: no approval into Prod without a clean, complete, current bake', () => {
  it(`holds over ${NUM_RUNS} random schedules of commits, deploy failures and rollbacks, alarm flaps, freezes, duplicates and lost/late events`, async () => {
    const started = performance.now();
    let restoresApproved = 0;
    await fc.assert(
      fc.asyncProperty(planWithOverridesArb, async (plan: Plan) => {
        // The deciding functions only: the announcement sinks change nothing they do (release-plans.ts).
        const { scenario, run, emitted } = await runPlan(plan, { rules: withoutSinks });
        const violations = invariant1Violations(scenario, run.timeline, emitted, executionsOf(run));
        restoresApproved += run.timeline.filter(
          (t) => t.kind === 'emitted' && t.detailType === 'PromotionApproved' && t.detail.rollbackOf,
        ).length;
        if (violations.length > 0) throw failure(scenario, violations);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `invariant 1: ${NUM_RUNS} runs in ${seconds} s (${restoresApproved} restores approved at once)`,
    );
  }, 1_800_000);
});

describe('liveness, loosely: a lone clean commit is promoted', () => {
  it('a lone commit with no alarm firing and no human interference is approved exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 5, max: 90 }),
        fc.constantFrom<'ignore' | 'block'>('ignore', 'block'),
        async (minute, bakeMinutes, insufficientData) => {
          const plan: Plan = {
            bakeMinutes,
            insufficientData,
            runFor: 12 * 60,
            tokenLagSeconds: 2,
            commits: [minute],
            selectedAlarms: 2,
            initial: ['OK', 'OK', 'OK'],
            flaps: [],
            transitions: [],
            duplicates: [],
            failIn: [],
          };
          const { scenario, run, emitted } = await runPlan(plan);
          expect(invariant1Violations(scenario, run.timeline, emitted, executionsOf(run))).toEqual([]);
          const approvals = emitted.filter(
            (e) =>
              e.detail.action === 'BakeGate' &&
              e.detail.state === 'SUCCEEDED' &&
              e.detail['start-time'] === startTimeOf(minute),
          );
          expect(approvals).toHaveLength(1);
          // Dev ends 10 min after the commit; the bake end carries one more second for the event time's precision.
          expect(approvals[0]!.atMs - Date.parse(startTimeOf(minute))).toBe(
            (10 + bakeMinutes) * 60_000 + 1_000,
          );
          const announced = run.timeline.filter(
            (t) => t.kind === 'emitted' && t.detailType === 'PromotionApproved',
          );
          expect(announced).toHaveLength(1);
          const [execution] = [...run.world.pipeline('leadout').executions.values()];
          expect(execution?.status).toBe('Succeeded');
        },
      ),
      { numRuns: 200, seed: SEED },
    );
  });
});
