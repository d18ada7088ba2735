import type { PendingTimer } from '../../lib/aws/bake-timer-sweep';
import { bakeTimerName } from '../bake-start/decide-bake';

export type SweepTrigger =
  /** The guard blocked Prod at `at`: every bake running then has an alarm in its history and cannot pass. */
  | { kind: 'blocked'; at: Date }
  /** Periodic sweep: only executions at the gate or waiting to enter Prod may keep a timer. */
  | { kind: 'schedule'; mayPromote: string[]; now: Date };

/** A timer this young is kept whatever the pipeline says: its execution may not show at the gate yet. */
const GRACE_MS = 10 * 60_000;

/** The prefix of a pipeline's bake timer names (bake-<sha8(pipeline)>-<execution id>). */
export const timerPrefix = (pipeline: string): string => bakeTimerName(pipeline, '');

/**
 * Which pending bake timers are useless now. A timer is only a trigger: deleting one never approves anything,
 * and the gate-start path and the reconciler still reach an execution that could pass after all.
 */
export function decideTimerSweep(pipeline: string, trigger: SweepTrigger, timers: PendingTimer[]): string[] {
  const prefix = timerPrefix(pipeline);
  const ours = timers.filter((t) => t.name.startsWith(prefix));
  if (trigger.kind === 'blocked') {
    // A timer created after the block (a retried sweep) belongs to a bake that started after it: keep it.
    return ours.filter((t) => !t.createdAt || t.createdAt <= trigger.at).map((t) => t.name);
  }
  const keep = new Set(trigger.mayPromote.map((id) => bakeTimerName(pipeline, id)));
  const young = (t: PendingTimer) => !t.createdAt || trigger.now.getTime() - t.createdAt.getTime() < GRACE_MS;
  return ours.filter((t) => !keep.has(t.name) && !young(t)).map((t) => t.name);
}
