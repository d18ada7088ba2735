/**
 * Safety invariant 4 (product brief), over random release schedules run through the simulator: every decision
 * the guard announces produces exactly one Slack message, and duplicates produce none, whether EventBridge
 * duplicates a triggering AWS event (the plans' duplicates) or a guard decision event itself (added here), and
 * whether or not PutEvents rejected a decision's first announcement (the outbox re-announces it on the retry).
 * A decision is its `decisionKey` (GuardFailed, which has none: its event id). Messages are matched to decisions
 * through the guard event id each message carries.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionContracts } from '../../events/guard/catalog';
import type { TimelineEntry } from '../../simulator/world/timeline';
import type { AwsEvent } from '../../simulator/world/aws-event';
import type { World } from '../../simulator/world/world';
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

/**
 * PutEvents rejecting the next announcement of a type, once, from a whole minute on. At most one per type, so
 * a decision's announcement fails fewer times than the simulator's EventBridge tries its target (3): an outage
 * that outlasts every retry leaves the invocation in the function's DLQ, as in AWS (docs/notifications.md).
 */
const putEventsFailures = fc.uniqueArray(
  fc.record({
    type: fc.constantFrom('BakeStarted', 'PromotionApproved', 'PromotionRejected', 'PromotionBlocked'),
    at: fc.integer({ min: 0, max: 400 }),
  }),
  { maxLength: 4, selector: (f) => f.type },
);

/** The decision a guard event announces. */
const decisionOf = (e: AwsEvent): string => (e.detail as { decisionKey?: string }).decisionKey ?? e.id;

/** Each decision once, however often it was announced or delivered; and how many deliveries were repeats. */
function decisions(delivered: AwsEvent[]): { keys: string[]; repeats: number } {
  const announced = delivered.filter((e) => decisionTypes.has(e['detail-type']));
  const keys = [...new Set(announced.map(decisionOf))].sort();
  return { keys, repeats: announced.length - keys.length };
}

/** The decision of each Slack message, through the guard event id it carries. */
function postedDecisions(timeline: TimelineEntry[], delivered: AwsEvent[]): string[] {
  const byId = new Map(delivered.map((e) => [e.id, decisionOf(e)]));
  return timeline
    .flatMap((t) => (t.kind === 'slack' ? [JSON.stringify(t.blocks)] : []))
    .map((blocks) => /event `([0-9a-f-]+)`/.exec(blocks)?.[1] ?? 'no event id')
    .map((id) => byId.get(id) ?? `unknown event ${id}`)
    .sort();
}

/** Decisions recorded in the journal (lib/act) but never announced: each is a decision without its message. */
function unannounced(world: World): string[] {
  const ledger = [...world.tables.tables.values()].flatMap((t) => [...t.values()]);
  return ledger.flatMap((item) =>
    String(item.executionId).startsWith('announce#') && item.state !== 'announced'
      ? [String(item.executionId)]
      : [],
  );
}

describe('safety invariant 4: one Slack message per decision, none for a duplicate', () => {
  it(`holds over ${NUM_RUNS} random schedules with duplicated AWS and guard events and failed PutEvents`, async () => {
    const total = { decisions: 0, repeats: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(planArb, guardDuplicates, putEventsFailures, async (plan, duplicates, failures) => {
        const base = planScenario(plan);
        const scenario = {
          ...base,
          timeline: [
            ...base.timeline,
            ...duplicates.map((d) => ({ at: d.at, redeliver: { 'detail-type': [d.type] } })),
            ...failures.map((f) => ({ at: f.at, failPutEvents: { 'detail-type': [f.type] } })),
          ],
        };
        const { scenario: ran, run } = await runResolved(scenario);
        const { keys: decided, repeats } = decisions(run.delivered);
        const posted = postedDecisions(run.timeline, run.delivered);
        const pending = unannounced(run.world);
        if (JSON.stringify(posted) !== JSON.stringify(decided) || pending.length > 0) {
          throw new Error(
            `decisions ${decided.join(', ')}\nposted ${posted.join(', ')}\nnever announced ${pending.join(', ')}\n${stringify(ran)}`,
          );
        }
        total.decisions += decided.length;
        total.repeats += repeats;
        total.rejected += run.timeline.filter(
          (t) => t.kind === 'world' && t.summary.startsWith('PutEvents rejects'),
        ).length;
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    // The property was exercised: many decisions, many duplicated guard events.
    expect(total.decisions).toBeGreaterThan(NUM_RUNS);
    expect(total.repeats).toBeGreaterThan(NUM_RUNS / 2);
    // …and many first announcements rejected by PutEvents, each re-announced by the outbox.
    expect(total.rejected).toBeGreaterThan(NUM_RUNS / 4);
  }, 1_800_000);
});
