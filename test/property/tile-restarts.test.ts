/**
 * Tile restarts over random worlds and delivery schedules, through the simulator: whatever the duplicates of the
 * Prod success, of ECS's deployment events, of TileRestartStarted and of the timeout timer, each configured
 * service is restarted exactly once for the execution, and each restart ends in exactly one outcome event, the
 * one the world dictates (completed, failed, rolled back, or timed out when it outlasts the deadline).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../simulator/run-scenario';
import { scenarioSchema } from '../../simulator/scenario';

const SEED = Number(process.env.FC_SEED ?? 20261127);
/** Commit at 0: Dev succeeds at +10, the 60-minute bake ends at +70:01, Prod succeeds at +75:01. */
const PROD_SUCCEEDED_AT = 75;

const outcomes = ['complete', 'fail', 'rollback', 'hang'] as const;
const serviceArb = fc.record({
  outcome: fc.constantFrom(...outcomes),
  // Never exactly the timeout: a deployment ending at its deadline is a genuine race, decided by arrival order.
  minutes: fc.integer({ min: 1, max: 60 }),
});
const redeliverable = [
  { 'detail-type': ['CodePipeline Stage Execution State Change'], detail: { stage: ['Prod'] } },
  { 'detail-type': ['ECS Deployment State Change'] },
  { 'detail-type': ['TileRestartStarted'] },
];

const planArb = fc.record({
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
  timeout: fc.integer({ min: 5, max: 45 }),
  duplicates: fc.array(
    fc.record({ which: fc.nat(redeliverable.length - 1), after: fc.integer({ min: 1, max: 90 }) }),
    {
      maxLength: 6,
    },
  ),
  timerDuplicate: fc.boolean(),
});
type Plan = typeof planArb extends fc.Arbitrary<infer T> ? T : never;

function expectedOutcome(s: Plan['services'][number], timeout: number): string {
  if (s.outcome === 'hang' || s.minutes > timeout) return 'timed-out';
  return { complete: 'completed', fail: 'deployment-failed', rollback: 'rolled-back' }[s.outcome];
}

async function run(plan: Plan) {
  const names = plan.services.map((_, i) => `tile-${i}`);
  const timeline: unknown[] = [{ at: 0, commit: { id: 'c0ffee1', message: 'Tile schema change' } }];
  for (const d of plan.duplicates)
    timeline.push({ at: PROD_SUCCEEDED_AT + d.after, redeliver: redeliverable[d.which] });
  if (plan.timerDuplicate) {
    timeline.push({
      at: PROD_SUCCEEDED_AT + plan.timeout + 2,
      redeliver: { 'detail-type': ['TileRestartTimerFired'] },
    });
  }
  const scenario = scenarioSchema.parse({
    name: 'random tile restarts',
    runFor: 300,
    config: {
      tileRestartTimeoutMinutes: plan.timeout,
      pipelines: [
        {
          name: 'leadout',
          devAlarms: { namePrefix: 'leadout-dev-' },
          tileServices: [{ cluster: 'prod', services: names }],
        },
      ],
    },
    world: {
      alarms: [{ name: 'leadout-dev-api-5xx' }],
      ecs: plan.services.map((s, i) => ({
        cluster: 'prod',
        service: names[i],
        minutes: s.minutes,
        outcome: s.outcome,
      })),
    },
    timeline,
  });
  return { names, result: await runScenario(scenario) };
}

describe('tile restarts: one restart and one outcome per (execution, service)', () => {
  it('hold over random outcomes, durations, timeouts and duplicated events', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        fc.pre(plan.services.every((s) => s.minutes !== plan.timeout));
        const { names, result } = await run(plan);
        const emitted = result.timeline.flatMap((t) => (t.kind === 'emitted' ? [t] : []));
        for (const [i, name] of names.entries()) {
          const of = (type: string) =>
            emitted.filter((e) => e.detailType === type && e.detail.service === name);
          const updates = result.timeline.filter(
            (t) => t.kind === 'aws-call' && t.operation === 'UpdateService' && t.params.service === name,
          );
          const ends = [...of('TileRestartCompleted'), ...of('TileRestartFailed')];
          expect({
            name,
            updates: updates.length,
            started: of('TileRestartStarted').length,
            ends: ends.length,
          }).toEqual({
            name,
            updates: 1,
            started: 1,
            ends: 1,
          });
          const got =
            ends[0]!.detailType === 'TileRestartCompleted' ? 'completed' : String(ends[0]!.detail.reason);
          expect({ name, outcome: got }).toEqual({
            name,
            outcome: expectedOutcome(plan.services[i]!, plan.timeout),
          });
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  }, 120_000);
});
