import { blockingStates, type AlarmSelector, type Mode } from '../../config/schema';
import type { AlarmStateValue } from '../../events/aws/cloudwatch-alarm-state-change';
import type { AlarmNow } from '../../lib/aws/cloudwatch';
import type { ProdView } from '../../lib/aws/prod-transition';
import type { BlockingState } from '../../lib/transition-reason';
import {
  block,
  selects,
  unblock,
  type GateAction,
  type InsufficientDataPolicy,
  type NeedRestore,
  type RestoreFact,
} from './decide-gate';

/** One alarm's state change, as the alarm event (or its contributor event) tells it. */
export type AlarmSignal = {
  alarmName: string;
  arn?: string;
  state: AlarmStateValue;
  previous?: AlarmStateValue;
  /** When the alarm entered `state` (detail.state.timestamp). */
  at: Date;
  reason?: string;
};

export type AlarmGateInput = {
  signal: AlarmSignal;
  selector: AlarmSelector;
  /** `detail.alarmTags`, or the looked-up tags; undefined until the decision asks for them. */
  tags?: Record<string, string>;
  /** GetPipelineState's view of Prod; undefined until asked for. */
  view?: ProdView;
  /** Every selected alarm now (DescribeAlarms); read only on a recovery with something to reopen. */
  alarms?: AlarmNow[];
  /** The restore record of the execution waiting at the gate; read only to block with an approval waiting. */
  waitingRestore?: RestoreFact;
  prodStage: string;
  insufficientData: InsufficientDataPolicy;
  mode: Mode;
};

export type AlarmGateDecision =
  GateAction | NeedRestore | { kind: 'need-tags' } | { kind: 'need-view' } | { kind: 'need-alarms' };

/**
 * A Dev alarm changed state. Into a blocking state: block at once, on the event alone (blocking is always safe,
 * and a stale ALARM's block is lifted by the next OK or by the reconciler). Out of it: reopen only after
 * re-reading every selected alarm, so an OK that is older than a later ALARM (out of order) cannot reopen.
 * Facts are asked for one at a time, so the block costs at most the tags, one GetPipelineState and, when an
 * approval waits, one ledger read (is it the guard's restore?).
 */
export function decideAlarmGate(input: AlarmGateInput): AlarmGateDecision {
  const { signal } = input;
  const selected = selects(input.selector, signal.alarmName, input.tags);
  if (selected === undefined) return { kind: 'need-tags' };
  if (!selected) return { kind: 'ignore', reason: `${signal.alarmName} is not a selected Dev alarm` };
  const blocking = blockingStates(input.insufficientData);
  if (!input.view) return { kind: 'need-view' };
  if (blocking.has(signal.state)) {
    const firing = {
      name: signal.alarmName,
      state: signal.state as BlockingState,
      since: signal.at.toISOString(),
      reason: signal.reason,
      arn: signal.arn,
    };
    return block(input.view, firing, input.waitingRestore, input.prodStage, {
      closeFirst: input.mode === 'enforce',
    });
  }
  if (input.view.transition.enabled) {
    const wouldHaveBlocked =
      input.mode === 'observe' && signal.previous !== undefined && blocking.has(signal.previous);
    if (!wouldHaveBlocked)
      return { kind: 'ignore', reason: 'the Prod transition is open: nothing to unblock' };
  }
  if (!input.alarms) return { kind: 'need-alarms' };
  return unblock(input.view, input.alarms, input.insufficientData, input.mode);
}
