import type { PendingTimer } from '../../lib/aws/bake-timer-sweep';
import { bakeTimerName } from '../bake-start/decide-bake';

export type SweepTrigger =
  /** The guard blocked Prod at `at`: every bake running then has an alarm in its history and cannot pass. */
  | { kind: 'blocked'; at: Date }
  /** Periodic sweep: only executions still on their way to the gate may keep a timer. */
  | { kind: 'schedule'; mayPromote: string[] };

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
  return ours.filter((t) => !keep.has(t.name)).map((t) => t.name);
}
