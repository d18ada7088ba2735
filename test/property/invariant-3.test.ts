/**
 * Safety invariant 3 (product brief) over random release schedules with failures, run through the simulator
 * and the real handlers: at most one automatic rollback per failed execution, never a rollback of a rollback,
 * never to a commit that is not known good. The oracle (invariant-3-oracle.ts) reads the world, not the
 * guard's records. Seeded like invariant 1: FC_SEED=123 npx vitest run test/property/invariant-3.test.ts
 * (FC_RUNS=1000 for a quicker run while developing).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, it } from 'vitest';
import { busyRollbackStages, invariant3Violations } from './invariant-3-oracle';
import { runResolved, withoutSinks } from './release-plans';
import { rollbackPlanArb, rollbackScenario, type RollbackPlan } from './rollback-plans';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const NUM_RUNS = Number(process.env.FC_RUNS ?? 10_000);

describe('safety invariant 3: one rollback per failure, never of a rollback, only to a known-good commit', () => {
  it(`holds over ${NUM_RUNS} random schedules of failures, failing restores, pipeline edits and duplicates`, async () => {
    const started = performance.now();
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(rollbackPlanArb, async (plan: RollbackPlan) => {
        // The deciding functions only: the announcement sinks change nothing they do (release-plans.ts).
        const { scenario, run } = await runResolved(rollbackScenario(plan), { rules: withoutSinks });
        const violations = invariant3Violations(run);
        for (const hit of busyRollbackStages(run)) {
          outcomes.set(`busy:${hit.error}`, (outcomes.get(`busy:${hit.error}`) ?? 0) + 1);
        }
        for (const t of run.timeline) {
          if (t.kind !== 'emitted' || !t.detailType.startsWith('Rollback')) continue;
          const key = `${t.detailType}:${String(t.detail.path ?? t.detail.reason)}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
        if (violations.length > 0) {
          throw new Error(`${violations.join('\n')}\n--- scenario ---\n${stringify(scenario)}`);
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`invariant 3: ${NUM_RUNS} runs in ${seconds} s`, Object.fromEntries(outcomes));
  }, 1_800_000);
});
