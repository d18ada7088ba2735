import type { Comparison, ExecutionComparison, GuardAction } from './compare';
import { when } from './what-people-did';

/** The comparison as text: one block per execution, then what was not replayed, then the summary. */
export function renderComparison(c: Comparison, title: string): string {
  const lines = [title, ...c.notes.map((n) => `  note: ${n}`), ''];
  for (const e of c.executions) lines.push(...renderExecution(e), '');
  for (const n of c.notReplayed) lines.push(`${n.pipeline} ${n.commit}: ${n.why}`);
  if (c.notReplayed.length) lines.push('');
  lines.push(...renderSummary(c));
  return lines.join('\n');
}

function renderExecution(e: ExecutionComparison): string[] {
  const guard = e.guard.length ? e.guard.map(describe) : ['nothing decided'];
  return [
    `${e.pipeline} ${e.commit}${e.message ? ` ${e.message}` : ''}`,
    `  people: ${e.people.join('; ')}`,
    `  guard:  ${guard.join('; ')}${verdictNote(e)}`,
    ...e.missing.map((m) => `  missing: ${m}`),
  ];
}

function describe(g: GuardAction): string {
  switch (g.kind) {
    case 'approve':
      return `approve at ${when(g.at)}`;
    case 'reject-superseded':
      return `reject as superseded by ${g.by} at ${when(g.at)}`;
    case 'block':
      return `block on alarm ${g.alarm} at ${when(g.at)}`;
    case 'reject-alarm':
      return `reject at the gate (alarm ${g.alarm}) at ${when(g.at)}`;
    case 'rollback':
      return `roll back to ${g.to} (${g.path}) at ${when(g.at)}`;
    case 'no-rollback':
      return `no rollback (${g.reason}) at ${when(g.at)}`;
    case 'restart-tiles':
      return `restart tiles ${g.services.join(', ')} at ${when(g.at)}`;
  }
}

function verdictNote(e: ExecutionComparison): string {
  switch (e.verdict) {
    case 'stopped':
      return '  → the guard would have stopped it';
    case 'sooner':
      return `  → ${minutes(e.savedMs!)} sooner`;
    case 'later':
      return `  → ${minutes(-e.savedMs!)} later than people (before its bake ended)`;
    case 'let-through':
      return '  → the guard would have let it through';
    default:
      return '';
  }
}

function renderSummary(c: Comparison): string[] {
  const s = c.summary;
  const stopped = s.stopped.onAlarm + s.stopped.superseded;
  return [
    `Summary: ${s.executions} execution(s) replayed`,
    `  would have stopped: ${stopped} (${s.stopped.onAlarm} on a Dev alarm, ${s.stopped.superseded} superseded)`,
    `  would have let through sooner: ${s.sooner} (${s.later} later, people approved before the bake ended)`,
    `  time saved against the people's approvals after the fixed wait: ${minutes(s.savedMs)}`,
    `  rollbacks it would have started: ${s.rollbacks}`,
  ];
}

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}
