/**
 * Safety invariant 4 (product brief), over random release schedules run through the simulator: every decision
 * the guard announces produces exactly one Slack message, and duplicates produce none, whether EventBridge
 * duplicates a triggering AWS event (the plans' duplicates) or a guard decision event itself (added here).
 * Messages are matched to decisions by the guard event id each message carries.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionContracts } from '../../events/guard/catalog';
import type { TimelineEntry } from '../../simulator/world/timeline';
import { planArb, planScenario, runResolved } from './release-plans';
import { installWorldTap } from './world-tap';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const NUM_RUNS = 500;
const decisionTypes = new Set<string>(decisionContracts.map((c) => c.detailType));

let uninstall: () => void;
beforeAll(() => {
  uninstall = installWorldTap();
});
afterAll(() => uninstall());

/** EventBridge delivering one of the guard's own decisions again, at a whole minute. */
const guardDuplicates = fc.array(
  fc.record({
    type: fc.constantFrom('BakeStarted', 'PromotionApproved', 'PromotionRejected'),
    at: fc.integer({ min: 1, max: 400 }),
  }),
  { maxLength: 4 },
);

/** Each decision once, however often EventBridge delivered it; and how many deliveries were duplicates. */
function decisionIds(timeline: TimelineEntry[]): { ids: string[]; redelivered: number } {
  const ids = timeline.flatMap((t) =>
    t.kind === 'event' && t.bus === 'guard' && decisionTypes.has(t.detailType) ? [t.id] : [],
  );
  const unique = [...new Set(ids)].sort();
  return { ids: unique, redelivered: ids.length - unique.length };
}

function postedIds(timeline: TimelineEntry[]): string[] {
  return timeline
    .flatMap((t) => (t.kind === 'slack' ? [JSON.stringify(t.blocks)] : []))
    .map((blocks) => /event `([0-9a-f-]+)`/.exec(blocks)?.[1] ?? 'no event id')
    .sort();
}

describe('safety invariant 4: one Slack message per decision, none for a duplicate', () => {
  it(`holds over ${NUM_RUNS} random schedules with duplicated AWS and guard events`, async () => {
    const total = { decisions: 0, redelivered: 0 };
    await fc.assert(
      fc.asyncProperty(planArb, guardDuplicates, async (plan, duplicates) => {
        const base = planScenario(plan);
        const scenario = {
          ...base,
          timeline: [
            ...base.timeline,
            ...duplicates.map((d) => ({ at: d.at, redeliver: { 'detail-type': [d.type] } })),
          ],
        };
        const { scenario: ran, run } = await runResolved(scenario);
        const { ids: decided, redelivered } = decisionIds(run.timeline);
        const posted = postedIds(run.timeline);
        if (JSON.stringify(posted) !== JSON.stringify(decided)) {
          throw new Error(`decisions ${decided.join(', ')}\nposted ${posted.join(', ')}\n${stringify(ran)}`);
        }
        total.decisions += decided.length;
        total.redelivered += redelivered;
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    // The property was exercised: many decisions, many duplicated guard events.
    expect(total.decisions).toBeGreaterThan(NUM_RUNS);
    expect(total.redelivered).toBeGreaterThan(NUM_RUNS / 2);
  });
});
