import type { ScenarioRun } from '../run-scenario';
import type { ReplayPlan } from './history-to-scenario';
import type { RecordedExecution } from './read-history';
import { label, when, whatPeopleDid } from './what-people-did';

/** One thing the guard would have done for an execution, at the virtual time it decided it. */
export type GuardAction =
  | { kind: 'approve'; at: Date }
  | { kind: 'reject-superseded'; at: Date; by: string }
  | { kind: 'block'; at: Date; alarm: string }
  | { kind: 'reject-alarm'; at: Date; alarm: string }
  | { kind: 'rollback'; at: Date; to: string; path: string }
  | { kind: 'no-rollback'; at: Date; reason: string }
  | { kind: 'restart-tiles'; at: Date; services: string[] };

/** What people did (as the history records it) and what the guard would have done, for one execution. */
export type ExecutionComparison = {
  pipeline: string;
  executionId: string;
  commit: string;
  message: string;
  people: string[];
  guard: GuardAction[];
  /** How the two compare at the gate. */
  verdict: 'stopped' | 'sooner' | 'later' | 'let-through' | 'same' | 'none';
  /** People's approval minus the guard's (ms): what the guard would have saved (negative: it would wait longer). */
  savedMs?: number;
  missing: string[];
};

export type Comparison = {
  executions: ExecutionComparison[];
  notReplayed: { pipeline: string; executionId: string; commit: string; why: string }[];
  notes: string[];
  summary: {
    executions: number;
    stopped: { onAlarm: number; superseded: number };
    sooner: number;
    later: number;
    savedMs: number;
    rollbacks: number;
  };
};

type Emitted = { at: Date; detailType: string; detail: Record<string, unknown> };

export function compare(plan: ReplayPlan, run: ScenarioRun): Comparison {
  const start = run.world.start.getTime();
  const emitted: Emitted[] = run.timeline.flatMap((t) =>
    t.kind === 'emitted' ? [{ at: absolute(start, t.at), detailType: t.detailType, detail: t.detail }] : [],
  );
  const recordedOf = new Map<string, RecordedExecution>();
  for (const [pipeline, order] of plan.replayed) {
    const started = [...run.world.pipeline(pipeline).executions.values()].filter(
      (e) => e.type === 'STANDARD',
    );
    if (started.length !== order.length) {
      throw new Error(
        `replay of ${pipeline}: ${order.length} recorded executions, ${started.length} started`,
      );
    }
    started.forEach((e, i) => recordedOf.set(e.id, order[i]!));
  }
  const worldIdOf = new Map([...recordedOf].map(([worldId, r]) => [r, worldId]));
  const commitOfWorld = (id: unknown) => (typeof id === 'string' ? label(recordedOf.get(id)) : '?');

  const executions = [...plan.replayed.values()].flat().map((recorded): ExecutionComparison => {
    const worldId = worldIdOf.get(recorded)!;
    const guard = emitted
      .filter(
        (e) =>
          e.detail.executionId === worldId ||
          e.detail.rejectedExecutionId === worldId ||
          e.detail.failedExecutionId === worldId,
      )
      .flatMap((e) => guardAction(e, commitOfWorld));
    const merged = mergeTiles(guard);
    return {
      pipeline: recorded.pipeline,
      executionId: recorded.id,
      commit: label(recorded),
      message: recorded.commitMessage,
      people: whatPeopleDid(recorded, plan),
      guard: merged,
      ...judge(recorded, merged),
      missing: [...recorded.missing, ...missingForGuard(recorded, merged, run.world.clock.now())],
    };
  });
  const gateOf = (c: ExecutionComparison) =>
    c.guard.find((g) => g.kind !== 'restart-tiles' && g.kind !== 'rollback' && g.kind !== 'no-rollback');
  return {
    executions,
    notReplayed: plan.notReplayed.map(({ execution, why }) => ({
      pipeline: execution.pipeline,
      executionId: execution.id,
      commit: label(execution),
      why,
    })),
    notes: plan.notes,
    summary: {
      executions: executions.length,
      stopped: {
        onAlarm: executions.filter((c) => c.verdict === 'stopped' && gateOf(c)?.kind !== 'reject-superseded')
          .length,
        superseded: executions.filter(
          (c) => c.verdict === 'stopped' && gateOf(c)?.kind === 'reject-superseded',
        ).length,
      },
      sooner: executions.filter((c) => c.verdict === 'sooner').length,
      later: executions.filter((c) => c.verdict === 'later').length,
      savedMs: executions.reduce((sum, c) => sum + (c.savedMs ?? 0), 0),
      rollbacks: executions.reduce((n, c) => n + c.guard.filter((g) => g.kind === 'rollback').length, 0),
    },
  };
}

function guardAction(e: Emitted, commitOf: (id: unknown) => string): GuardAction[] {
  const d = e.detail;
  const firstAlarm = () => String((d.alarms as { name?: string }[] | undefined)?.[0]?.name ?? '?');
  switch (e.detailType) {
    case 'PromotionApproved':
      return [{ kind: 'approve', at: e.at }];
    case 'PromotionRejected':
      return d.reason === 'superseded'
        ? [{ kind: 'reject-superseded', at: e.at, by: commitOf(d.supersededBy) }]
        : d.reason === 'alarm'
          ? [{ kind: 'reject-alarm', at: e.at, alarm: firstAlarm() }]
          : [];
    case 'PromotionBlocked':
      return [{ kind: 'block', at: e.at, alarm: firstAlarm() }];
    case 'RollbackStarted':
      return [
        {
          kind: 'rollback',
          at: e.at,
          to: `${String(d.targetCommitId ?? '?').slice(0, 7)} (${commitOf(d.targetExecutionId).split(' ')[1] ?? ''})`.replace(
            ' ()',
            '',
          ),
          path: String(d.path),
        },
      ];
    case 'RollbackSkipped':
      // A superseded, stopped or rejected execution is no failure: the guard says so, and nothing is compared.
      return d.reason === 'not-a-failure'
        ? []
        : [{ kind: 'no-rollback', at: e.at, reason: String(d.reason) }];
    case 'TileRestartStarted':
      return [{ kind: 'restart-tiles', at: e.at, services: [`${String(d.cluster)}/${String(d.service)}`] }];
    default:
      return [];
  }
}

/** One line for the restarts of one Prod success. */
function mergeTiles(actions: GuardAction[]): GuardAction[] {
  const out: GuardAction[] = [];
  for (const a of actions) {
    const last = out.at(-1);
    if (
      a.kind === 'restart-tiles' &&
      last?.kind === 'restart-tiles' &&
      last.at.getTime() === a.at.getTime()
    ) {
      last.services.push(...a.services);
    } else out.push(a.kind === 'restart-tiles' ? { ...a, services: [...a.services] } : a);
  }
  return out;
}

function judge(r: RecordedExecution, guard: GuardAction[]): Pick<ExecutionComparison, 'verdict' | 'savedMs'> {
  const gate = guard.find((g) => ['approve', 'reject-superseded', 'block', 'reject-alarm'].includes(g.kind));
  const approvedByPeople = r.gate?.status === 'Succeeded' && r.gate.at;
  if (!gate) return { verdict: 'none' };
  if (gate.kind !== 'approve') return { verdict: approvedByPeople ? 'stopped' : 'same' };
  if (!approvedByPeople) return { verdict: 'let-through' };
  const savedMs = r.gate!.at!.getTime() - gate.at.getTime();
  return { verdict: savedMs > 0 ? 'sooner' : savedMs < 0 ? 'later' : 'same', savedMs };
}

function missingForGuard(r: RecordedExecution, guard: GuardAction[], end: Date): string[] {
  if (guard.some((g) => g.kind !== 'restart-tiles') || !r.devSucceededAt) return [];
  return r.status === 'InProgress'
    ? [`the history ends (${when(end)}) before the guard decided: what followed is not in it`]
    : [];
}

function absolute(start: number, at: string): Date {
  const match = /^([+-])(\d+):(\d{2})(?::(\d{2}))?$/.exec(at);
  if (!match) throw new Error(`not a timeline time: ${at}`);
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return new Date(start + (match[1] === '-' ? -1 : 1) * seconds * 1000);
}
