/**
 * A tag selector at scale, through the simulator: 200 Dev alarms picked by tag (and 20 of another team's, and 10
 * untagged ones with the prefix) cost ⌈200 / 100⌉ = 2 GetResources per read of the selection, sent with
 * DescribeAlarms' pages, and no ListTagsForResource at all — it was one per alarm, 200 on a cold cache.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../simulator/run-scenario';
import { scenarioSchema } from '../../simulator/scenario';
import type { TimelineEntry } from '../../simulator/world/timeline';

const SELECTED = 200;
const name = (i: number) => `leadout-dev-a${String(i).padStart(3, '0')}`;
const maps = Array.from({ length: SELECTED }, (_, i) => name(i));

type Call = Extract<TimelineEntry, { kind: 'aws-call' }>;
type Invocation = Extract<TimelineEntry, { kind: 'invocation' }> & { sent: Call[] };

/** Each invocation with the calls it sent (a function's calls come before its invocation's entry). */
function invocations(run: ScenarioRun): Invocation[] {
  const pending = new Map<string, Call[]>();
  const out: Invocation[] = [];
  for (const t of run.timeline) {
    if (t.kind === 'aws-call') pending.set(t.caller, [...(pending.get(t.caller) ?? []), t]);
    if (t.kind === 'invocation') {
      out.push({ ...t, sent: pending.get(t.function) ?? [] });
      pending.delete(t.function);
    }
  }
  return out;
}

const count = (calls: readonly Call[], operation: string) =>
  calls.filter((c) => c.operation === operation).length;

function manyTaggedAlarms(timeline: unknown[]) {
  return scenarioSchema.parse({
    name: `${SELECTED} Dev alarms selected by tag`,
    config: {
      pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-', tags: { team: 'maps' } } }],
    },
    world: {
      alarms: [
        ...maps.map((n) => ({ name: n, state: 'OK', tags: { team: 'maps', tier: 'api' } })),
        ...Array.from({ length: 20 }, (_, i) => ({
          name: name(500 + i),
          state: 'OK',
          tags: { team: 'batch' },
        })),
        ...Array.from({ length: 10 }, (_, i) => ({ name: name(700 + i), state: 'OK' })),
      ],
    },
    timeline: [{ at: 0, commit: { id: 'a1b2c3d', message: 'many tagged alarms' } }, ...timeline],
    runFor: 90,
  });
}

describe(`a tag selector over ${SELECTED} Dev alarms`, () => {
  it('promote reads their tags with 2 GetResources (with DescribeAlarms), no ListTagsForResource, and approves', async () => {
    // Act
    const run = await runScenario(manyTaggedAlarms([]));

    // Assess
    expect(run.results.filter((r) => !r.met)).toEqual([]);
    const approved = run.timeline.find((t) => t.kind === 'emitted' && t.detailType === 'PromotionApproved');
    const checked = (approved as { detail: { alarmsChecked: string[] } } | undefined)?.detail.alarmsChecked;
    expect([...(checked ?? [])].sort()).toEqual(maps);
    const reads = invocations(run).filter((i) => count(i.sent, 'DescribeAlarms') > 0);
    expect(reads.map((i) => i.function)).toContain('promote');
    for (const i of reads) {
      expect(count(i.sent, 'GetResources'), `${i.function} at ${i.at}`).toBe(Math.ceil(SELECTED / 100));
      expect(count(i.sent, 'DescribeAlarms'), `${i.function} at ${i.at}`).toBe(3);
    }
    expect(
      run.timeline.filter((t) => t.kind === 'aws-call' && t.operation === 'ListTagsForResource'),
    ).toEqual([]);
    // Each GetResources page goes out with a DescribeAlarms page: the selection costs 3 round trips, not 5.
    const promote = reads.find((i) => i.function === 'promote')!;
    const tagPages = promote.sent.filter((c) => c.operation === 'GetResources').map((c) => c.roundTrip);
    const alarmPages = promote.sent.filter((c) => c.operation === 'DescribeAlarms').map((c) => c.roundTrip);
    expect(tagPages).toEqual(alarmPages.slice(0, 2));
    expect(promote.sent.filter((c) => c.service === 'tagging').map((c) => c.params)).toEqual([
      {
        ResourceTypeFilters: ['cloudwatch:alarm'],
        TagFilters: [{ Key: 'team', Values: ['maps'] }],
        ResourcesPerPage: 100,
      },
      expect.objectContaining({ PaginationToken: expect.any(String) as string }),
    ]);
  });

  it('an alarm among them fires and recovers: the block reads its one alarm’s tags, the reopen 2 GetResources', async () => {
    // Act
    const run = await runScenario(
      manyTaggedAlarms([
        { at: 10, alarm: { name: name(150), state: 'ALARM' } },
        { at: 20, alarm: { name: name(150), state: 'OK' } },
      ]),
    );

    // Assess
    const gate = invocations(run).filter((i) => i.function === 'alarmGate');
    expect(gate).toHaveLength(2);
    const [block, reopen] = gate;
    expect(count(block!.sent, 'ListTagsForResource')).toBe(1);
    expect(count(block!.sent, 'GetResources')).toBe(0);
    expect(count(block!.sent, 'DisableStageTransition')).toBe(1);
    expect(count(reopen!.sent, 'GetResources')).toBe(2);
    expect(count(reopen!.sent, 'ListTagsForResource')).toBe(0);
    expect(count(reopen!.sent, 'EnableStageTransition')).toBe(1);
  });
});
