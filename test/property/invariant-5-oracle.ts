/**
 * Invariant 5 (docs/design.md), read from what the world saw: every write the guard made to CodePipeline, ECS or
 * CodeDeploy is listed in an announced decision; every decision the journal recorded was announced; every
 * announced decision reached Slack; a dead letter is allowed only when the fault left no way to announce.
 */
import type { ScenarioRun } from '../../simulator/run-scenario';
import type { FaultSpec } from '../../simulator/world/faults';
import type { TimelineEntry } from '../../simulator/world/timeline';

/** The last minutes of a run, whose decisions may still be settling when it stops (Lambda retries, notify's lease). */
const HORIZON_MS = 10 * 60_000;

/** The services whose writes must be announced (the guard's own ledger, timers and bus are its bookkeeping). */
const GUARDED = new Set(['codepipeline', 'ecs', 'codedeploy']);

type Effect = { call: string; outcome: string };
type Delivered = { 'detail-type': string; detail: { decisionKey?: string; effects?: Effect[] } };

/** A write that took effect: answered, or applied with its response lost. */
export function effectiveWrites(timeline: TimelineEntry[]): { call: string; caller: string; at: string }[] {
  return timeline.flatMap((t) =>
    t.kind === 'aws-call' &&
    t.write &&
    GUARDED.has(t.service) &&
    t.caller !== 'scenario' &&
    (!t.error || (t.fault === 'applied-then-lost' && !t.refusedAtAws))
      ? [{ call: `${t.service}.${t.operation}`, caller: t.caller, at: t.at }]
      : [],
  );
}

const SAID = new Set(['done', 'already-done', 'unknown']);

/** The faults after which nothing can be announced on the bus: the journal or the bus itself is down throughout. */
export function mayEndInDeadLetter(fault: FaultSpec): boolean {
  if (fault.times !== 'always') return false;
  if (fault.error === 'crash') return true;
  // Housekeeping that writes nothing to CodePipeline, ECS or CodeDeploy: its dead letter and alarm are its report.
  if (fault.function === 'bakeTimerSweep') return true;
  // The restart's timeout timer: its restart was announced; the reconciler reports it when overdue (README).
  if (fault.function === 'tileFollow' && fault.call.startsWith('scheduler.')) return true;
  // The ledger, the bus, or the secret Slack is reached with: the message cannot go out; the DLQ alarm says so.
  return /^(dynamodb|eventbridge|events|ssm)\./.test(fault.call);
}

/** Writes that must not repeat because a fault hit: a second restore or restart is a real, visible release. */
const ONCE = new Set([
  'codepipeline.RollbackStage',
  'codepipeline.StartPipelineExecution',
  'ecs.UpdateService',
  'codedeploy.CreateDeployment',
]);

function target(params: Record<string, unknown>): string {
  const p = params as { pipelineName?: string; name?: string; stageName?: string; service?: string };
  const q = params as { applicationName?: string; deploymentGroupName?: string };
  return [p.pipelineName ?? p.name, p.stageName, p.service, q.applicationName, q.deploymentGroupName]
    .filter(Boolean)
    .join('/');
}

/**
 * No decision makes its restore or restart twice: the effective writes of each such call (a repeat with the same
 * clientRequestToken starts nothing new) never outnumber the decisions that announced that call as made (`done`,
 * `already-done` or `unknown`, once per decision key). Red when a retry writes again instead of recognising.
 */
export function repeatedWrites(run: ScenarioRun, fault: FaultSpec): string[] {
  // Nothing could be announced (the DLQ is the report): there are no announced decisions to count against.
  if (run.world.deadLetters.length > 0 && mayEndInDeadLetter(fault)) return [];
  const writes = new Map<string, number>();
  const tokens = new Set<string>();
  for (const t of run.timeline) {
    if (t.kind !== 'aws-call' || !t.write || t.caller === 'scenario') continue;
    const call = `${t.service}.${t.operation}`;
    if (!ONCE.has(call) || (t.error && (t.fault !== 'applied-then-lost' || t.refusedAtAws))) continue;
    // A repeated request with the same clientRequestToken starts nothing new (CodePipeline's idempotency).
    const token = (t.params as { clientRequestToken?: string }).clientRequestToken;
    if (token && tokens.has(`${call} ${target(t.params)} ${token}`)) continue;
    if (token) tokens.add(`${call} ${target(t.params)} ${token}`);
    writes.set(call, (writes.get(call) ?? 0) + 1);
  }
  const made = new Map<string, Set<string>>();
  for (const e of run.delivered as unknown as Delivered[]) {
    const key = e.detail?.decisionKey;
    if (typeof key !== 'string') continue;
    for (const effect of e.detail.effects ?? []) {
      if (!ONCE.has(effect.call) || !['done', 'already-done', 'unknown'].includes(effect.outcome)) continue;
      made.set(effect.call, (made.get(effect.call) ?? new Set()).add(key));
    }
  }
  return [...writes]
    .filter(([call, n]) => n > (made.get(call)?.size ?? 0))
    .map(
      ([call, n]) =>
        `repeated write: ${call} ${n} times for ${made.get(call)?.size ?? 0} decision(s) that made it`,
    );
}

export function invariant5Violations(run: ScenarioRun, fault: FaultSpec): string[] {
  const violations: string[] = [];
  const delivered = run.delivered as unknown as Delivered[];
  const decisions = delivered.filter((e) => typeof e.detail?.decisionKey === 'string');
  const deadLetters = run.world.deadLetters.length;
  const excused = deadLetters > 0 && mayEndInDeadLetter(fault);
  if (deadLetters > 0 && !excused) {
    violations.push(`${deadLetters} event(s) in the dead-letter queue after a ${fault.times} ${fault.error}`);
  }
  if (excused) return violations;
  // A run stops at its horizon: what started in its last minutes may still have a Lambda retry due (about 1 and
  // 3 minutes later) or a sweep to come. Those are not judged; everything older must be settled.
  const end = run.world.clock.nowMs();
  const settled = (ms: number) => ms <= end - HORIZON_MS;

  // 1. No silent write: each write the world took is listed by an announced decision, done or unknown.
  const listed = new Map<string, number>();
  for (const e of decisions) {
    for (const effect of e.detail.effects ?? []) {
      if (SAID.has(effect.outcome)) listed.set(effect.call, (listed.get(effect.call) ?? 0) + 1);
    }
  }
  for (const w of effectiveWrites(run.timeline)) {
    if (!listed.has(w.call)) violations.push(`silent write: ${w.call} by ${w.caller} at ${w.at}`);
  }

  // 2. Every intent the journal recorded was announced: by its function, or by the reconciler's sweep (swept#).
  const items = [...run.world.tables.tables.values()].flatMap((t) => [...t.values()]);
  const swept = new Set(
    items
      .filter((i) => String(i.pipeline).startsWith('swept#'))
      .map((i) => `${String(i.pipeline).slice('swept#'.length)} ${String(i.executionId)}`),
  );
  for (const item of items) {
    const key = String(item.executionId);
    const [, owner, pipeline] = /^journal#([^#]+)#(.+)$/.exec(String(item.pipeline)) ?? [];
    if (owner && swept.has(`${pipeline} ${owner} ${key.slice('announce#'.length)}`)) continue;
    if (!settled(Date.parse(String(item.createdAt)))) continue;
    if (key.startsWith('announce#') && item.state !== 'announced') {
      violations.push(`never announced: ${key} (${String(item.state)})`);
    }
  }

  // 3. Each announced decision reached Slack (twice at most, and only when the fault hit the notifier).
  const posted = new Map<string, number>();
  const byEventId = new Map(
    run.delivered.map((e) => [e.id, (e.detail as { decisionKey?: string }).decisionKey]),
  );
  for (const t of run.timeline) {
    if (t.kind !== 'slack') continue;
    const id = /event `([0-9a-f-]+)`/.exec(JSON.stringify(t.blocks))?.[1];
    const key = id ? byEventId.get(id) : undefined;
    if (key) posted.set(key, (posted.get(key) ?? 0) + 1);
  }
  const firstSeen = new Map<string, number>();
  for (const e of decisions as unknown as { time: string; detail: { decisionKey: string } }[]) {
    const at = Date.parse(e.time);
    firstSeen.set(e.detail.decisionKey, Math.min(firstSeen.get(e.detail.decisionKey) ?? at, at));
  }
  for (const key of new Set(decisions.map((e) => e.detail.decisionKey!))) {
    const n = posted.get(key) ?? 0;
    if (!settled(firstSeen.get(key) ?? 0)) continue;
    if (n === 0) violations.push(`no Slack message for ${key}`);
    if (n > 1 && fault.function !== 'notify' && !/^(ssm|dynamodb)\./.test(fault.call) && fault.call !== '*') {
      violations.push(`${n} Slack messages for ${key}`);
    }
  }
  return violations;
}

/** What became of one faulted run, for the reliability table. */
export type FaultOutcome = 'recovered' | 'announced failure' | 'GuardFailed' | 'dead letter' | 'silent';

export function classify(run: ScenarioRun, violations: string[]): FaultOutcome {
  if (violations.length > 0) return 'silent';
  if (run.world.deadLetters.length > 0) return 'dead letter';
  const delivered = run.delivered as unknown as Delivered[];
  if (delivered.some((e) => e['detail-type'] === 'GuardFailed')) return 'GuardFailed';
  const failed = delivered.some((e) =>
    (e.detail?.effects ?? []).some((x) => x.outcome === 'failed' || x.outcome === 'unknown'),
  );
  return failed ? 'announced failure' : 'recovered';
}
