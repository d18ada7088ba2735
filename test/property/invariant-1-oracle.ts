/**
 * Safety invariant 1, judged from the world and the scenario, never from the guard's beliefs:
 * an execution E approved into Prod at T finished Dev at D(E) with D(E) + bake ≤ T (a); no selected Dev
 * alarm was in ALARM (or INSUFFICIENT_DATA under the `block` policy) at any moment of [D(E), T] (b); no other
 * execution succeeded in Dev in (D(E), T] (c). Also: each approval is announced by exactly one
 * PromotionApproved, and nothing else is announced as approved.
 *
 * The second exception (people in the loop): a person's promote-now — a signed request the scenario itself makes
 * (a `person` step), which the guard recorded for that execution (its PersonCommand "requested" at that instant).
 * It passes the bake, the alarm history and a newer Dev success; without despiteAlarm, never a selected alarm in
 * ALARM at the moment of the approval.
 *
 * The first exception (the invariant's own): a restore of a known-good release. An approved execution is one
 * when the world says so — CodePipeline ran it as a ROLLBACK, or it was started with explicit source
 * revisions — and its commit had succeeded end to end in another execution before the approval.
 */
import type { ScenarioRun } from '../../simulator/run-scenario';
import type { Scenario } from '../../simulator/scenario';
import type { Execution } from '../../simulator/world/codepipeline-world';
import type { TimelineEntry } from '../../simulator/world/timeline';
import {
  ACTION_CHANGE,
  PIPELINE,
  SELECTED_PREFIX,
  STAGE_CHANGE,
  START_MS,
  type AlarmState,
} from './release-plans';
import type { WorldEvent } from './world-tap';

/** `seq` is the position in the world's own order of events, which also orders simultaneous ones. */
export type Approval = { executionId: string; atMs: number; seq: number };

/** `+01:10` or `+01:10:03` (the timeline's virtual time) as milliseconds after the scenario start. */
export function timelineMs(at: string): number {
  const m = /^([+-])(\d+):(\d{2})(?::(\d{2}))?$/.exec(at);
  if (!m) throw new Error(`unreadable timeline time ${at}`);
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The alarm states the scenario itself sets: initial state, then its alarm steps in timeline order. */
function alarmHistory(scenario: Scenario) {
  const steps = [...scenario.timeline]
    .sort((a, b) => a.at - b.at)
    .flatMap((s) =>
      'alarm' in s ? [{ name: s.alarm.name, atMs: START_MS + s.at * 60_000, state: s.alarm.state }] : [],
    );
  return scenario.world.alarms.map((a) => ({
    name: a.name,
    initial: a.state as AlarmState,
    steps: steps.filter((s) => s.name === a.name),
  }));
}

/** Every execution of the run's pipeline, as the world ended it. */
export function executionsOf(run: ScenarioRun): Execution[] {
  return [...run.world.pipeline(PIPELINE).executions.values()];
}

/** A restore (by CodePipeline's or the world's own account) of a commit that succeeded end to end before `atMs`. */
export function isKnownGoodRestore(id: string, atMs: number, executions: Execution[]): boolean {
  const x = executions.find((e) => e.id === id);
  if (!x || (x.type !== 'ROLLBACK' && !x.sourceOverride)) return false;
  return executions.some(
    (y) => y !== x && y.commitId === x.commitId && y.status === 'Succeeded' && y.updatedAt.getTime() <= atMs,
  );
}

/**
 * The executions people let through: a promote-now `person` step of the scenario (the world's truth: a signed
 * request) at the instant the guard recorded one for that execution, each with its despiteAlarm.
 */
function personOverrides(
  scenario: Scenario,
  timeline: TimelineEntry[],
): Map<string, { atMs: number; despiteAlarm: boolean }[]> {
  const asked = scenario.timeline.flatMap((s) =>
    'person' in s && s.person.command === 'promote-now'
      ? [{ atMs: START_MS + s.at * 60_000, despiteAlarm: s.person.despiteAlarm === true }]
      : [],
  );
  const overrides = new Map<string, { atMs: number; despiteAlarm: boolean }[]>();
  for (const t of timeline) {
    if (t.kind !== 'emitted' || t.detailType !== 'PersonCommand') continue;
    const d = t.detail as { command?: string; outcome?: string; executionId?: string };
    if (d.command !== 'promote-now' || d.outcome !== 'requested' || !d.executionId) continue;
    const atMs = START_MS + timelineMs(t.at);
    // The guard records a request at once, or seconds later after an SDK timeout: the latest request before it.
    const request = asked.filter((a) => a.atMs <= atMs + 1000 && atMs - a.atMs < 60_000).at(-1);
    if (!request) continue;
    overrides.set(d.executionId, [
      ...(overrides.get(d.executionId) ?? []),
      { atMs: request.atMs, despiteAlarm: request.despiteAlarm },
    ]);
  }
  return overrides;
}

/** Every violation of invariant 1 (and of "one PromotionApproved per approval") in one run. */
export function invariant1Violations(
  scenario: Scenario,
  timeline: TimelineEntry[],
  emitted: WorldEvent[],
  executions: Execution[],
): string[] {
  const bakeMs = Number(scenario.config.bakeMinutes) * 60_000;
  const blocking = (s: AlarmState) =>
    s === 'ALARM' || (scenario.config.insufficientData === 'block' && s === 'INSUFFICIENT_DATA');
  const violations: string[] = [];

  const devSucceeded = new Map<string, { atMs: number; seq: number }>();
  const approvals: Approval[] = [];
  emitted.forEach((e, seq) => {
    const id = String(e.detail['execution-id']);
    if (e.detailType === STAGE_CHANGE && e.detail.stage === 'Dev' && e.detail.state === 'SUCCEEDED') {
      if (!devSucceeded.has(id)) devSucceeded.set(id, { atMs: e.atMs, seq });
    }
    if (
      e.detailType === ACTION_CHANGE &&
      e.detail.stage === 'Prod' &&
      e.detail.action === 'BakeGate' &&
      e.detail.state === 'SUCCEEDED'
    ) {
      approvals.push({ executionId: id, atMs: e.atMs, seq });
    }
  });

  // Every successful Approved answer is one of the world's gate approvals, at the same moment.
  const approvedCalls = timeline.flatMap((t) =>
    t.kind === 'aws-call' &&
    t.service === 'codepipeline' &&
    t.operation === 'PutApprovalResult' &&
    (!t.error || (t.fault === 'applied-then-lost' && !t.refusedAtAws)) &&
    (t.params.result as { status?: string } | undefined)?.status === 'Approved'
      ? [START_MS + timelineMs(t.at)]
      : [],
  );
  if (
    approvedCalls.length !== approvals.length ||
    approvedCalls.some((ms, i) => Math.abs(ms - approvals[i]!.atMs) >= 1000)
  ) {
    violations.push(
      `approval calls at ${approvedCalls.map(iso).join(', ') || 'none'} do not match the gate approvals ` +
        `at ${approvals.map((a) => iso(a.atMs)).join(', ') || 'none'}`,
    );
  }

  const history = alarmHistory(scenario).filter((a) => a.name.startsWith(SELECTED_PREFIX));
  const overrides = personOverrides(scenario, timeline);
  const stateAt = (a: (typeof history)[number], ms: number) =>
    a.steps.filter((s) => s.atMs <= ms).at(-1)?.state ?? a.initial;
  const seen = new Set<string>();
  for (const { executionId: id, atMs: t, seq } of approvals) {
    if (seen.has(id)) violations.push(`${id} approved twice`);
    seen.add(id);
    if (isKnownGoodRestore(id, t, executions)) continue;
    const requests = (overrides.get(id) ?? []).filter((r) => r.atMs <= t);
    if (requests.length > 0) {
      const firing = history.filter((a) => blocking(stateAt(a, t)));
      if (firing.length > 0 && !requests.some((r) => r.despiteAlarm)) {
        violations.push(`${id} passed by promote-now at ${iso(t)} although ${firing[0]!.name} fired`);
      }
      continue;
    }
    const dev = devSucceeded.get(id);
    if (dev === undefined || dev.seq > seq) {
      violations.push(`${id} approved at ${iso(t)} but had not succeeded in Dev`);
      continue;
    }
    const d = dev.atMs;
    if (d + bakeMs > t) {
      violations.push(`${id} approved at ${iso(t)}, only ${(t - d) / 60_000} min after its Dev success`);
    }
    for (const a of history) {
      const before = a.steps.filter((s) => s.atMs <= d).at(-1)?.state ?? a.initial;
      const during = a.steps.filter((s) => s.atMs > d && s.atMs <= t).map((s) => s.state);
      const bad = [before, ...during].find(blocking);
      if (bad) {
        violations.push(
          `${id} approved at ${iso(t)} although ${a.name} was ${bad} between its Dev success at ${iso(d)} and then`,
        );
      }
    }
    // In the world's order, not by timestamp: a Dev success at the very instant of the approval but after
    // it (the same virtual minute) is not "since".
    for (const [other, later] of devSucceeded) {
      if (other !== id && later.seq > dev.seq && later.seq < seq) {
        violations.push(
          `${id} approved at ${iso(t)} although ${other} succeeded in Dev since (at ${iso(later.atMs)})`,
        );
      }
    }
  }

  // One announcement is one decision key: an event re-sent under its key is one Slack message (invariant 4).
  const keys = new Map<string, Set<string>>();
  for (const t of timeline) {
    if (t.kind === 'emitted' && t.detailType === 'PromotionApproved') {
      const id = String(t.detail.executionId);
      const key = typeof t.detail.decisionKey === 'string' ? t.detail.decisionKey : `${t.at}`;
      keys.set(id, (keys.get(id) ?? new Set()).add(key));
    }
  }
  const announced = new Map([...keys].map(([id, k]) => [id, k.size]));
  for (const id of seen) {
    const n = announced.get(id) ?? 0;
    if (n !== 1) violations.push(`${id} approved once but announced by ${n} PromotionApproved`);
  }
  for (const [id, n] of announced) {
    if (!seen.has(id)) violations.push(`${n} PromotionApproved for ${id}, which was never approved`);
  }
  return violations;
}
