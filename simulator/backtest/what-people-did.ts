import type { ReplayPlan } from './history-to-scenario';
import type { RecordedExecution } from './read-history';

/** What people did with an execution, as the history records it: the gate's answer, Prod, their own rollback. */
export function whatPeopleDid(r: RecordedExecution, plan: ReplayPlan): string[] {
  const lines: string[] = [];
  if (r.devFailedAt) lines.push(`failed in Dev at ${when(r.devFailedAt)}`);
  if (r.gate?.status === 'Succeeded') lines.push(`approved by ${who(r.gate.by)} at ${when(r.gate.at)}`);
  else if (r.gate?.status === 'Failed') lines.push(`rejected by ${who(r.gate.by)} at ${when(r.gate.at)}`);
  else if (r.gate?.status === 'InProgress') lines.push('waiting at the gate when the history ends');
  if (r.status === 'Superseded') lines.push(`superseded at ${when(r.endedAt)} before it reached the gate`);
  if (r.prodFailedAt) lines.push(`failed in Prod at ${when(r.prodFailedAt)}`);
  else if (r.prodSucceededAt) lines.push(`in Prod at ${when(r.prodSucceededAt)}`);
  const failedAt = r.prodFailedAt ?? r.devFailedAt;
  if (failedAt) {
    const restore = plan.notReplayed.find(
      (n) =>
        n.execution.pipeline === r.pipeline &&
        n.execution.rollback &&
        (n.execution.startedAt?.getTime() ?? 0) >= failedAt.getTime(),
    );
    if (restore) {
      const target = [
        ...plan.notReplayed.map((n) => n.execution),
        ...[...plan.replayed.values()].flat(),
      ].find((e) => e.id === restore.execution.rollbackTargetId);
      lines.push(
        `rolled back by ${restore.execution.trigger ?? 'hand'} to ${label(target)} at ${when(restore.execution.startedAt)}`,
      );
    } else lines.push('no rollback in the history');
  }
  return lines.length ? lines : [`${r.status} (nothing at the gate)`];
}

export function label(r: RecordedExecution | undefined): string {
  if (!r) return '?';
  return `${(r.commitId ?? '(no commit)').slice(0, 7)} ${r.id.slice(0, 8)}`;
}

function who(arn: string | undefined): string {
  return arn ? (arn.split('/').at(-1) ?? arn) : 'someone (not recorded)';
}

/** `11-23 10:25` (UTC). */
export function when(d: Date | undefined): string {
  return d ? d.toISOString().slice(5, 16).replace('T', ' ') : '(time not recorded)';
}
