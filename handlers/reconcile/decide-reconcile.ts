import type { AlarmNow } from '../../lib/aws/cloudwatch';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { ProdView } from '../../lib/aws/prod-transition';
import type { BlockingState } from '../../lib/transition-reason';
import { parseGuardReason } from '../../lib/transition-reason';
import {
  block,
  blockingStates,
  unblock,
  type GateAction,
  type InsufficientDataPolicy,
} from '../alarm-gate/decide-gate';

export type ReconcileInput = {
  view: ProdView;
  /** Every selected Dev alarm now. */
  alarms: AlarmNow[];
  /** What the guard recorded for the execution waiting at the gate; `not-loaded` until asked for. */
  release: ReleaseRecord | undefined | 'not-loaded';
  insufficientData: InsufficientDataPolicy;
  now: Date;
};

export type ReconcileDecision =
  | GateAction
  | { kind: 'need-release'; executionId: string }
  /** The bake of the execution at the gate is over: hand it to the promote decision (a BakeTimerFired). */
  | { kind: 'promote-due'; release: ReleaseRecord };

/**
 * Converges one pipeline to the truth when events were lost: a firing alarm with an open transition is blocked;
 * a block the guard owns with every alarm quiet is lifted; an execution waiting at the gate after its bake is
 * handed to the promote decision, which alone approves (invariant 1). A transition someone else closed is not
 * the reconciler's business: it is neither reopened nor announced again.
 */
export function decideReconcile(input: ReconcileInput): ReconcileDecision {
  const { view } = input;
  const blocking = blockingStates(input.insufficientData);
  const firing = input.alarms
    .filter((a) => blocking.has(a.state))
    .sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0));
  const first = firing[0];
  if (first) {
    return block(view, {
      name: first.name,
      state: first.state as BlockingState,
      since: first.since?.toISOString(),
      reason: first.reason,
      arn: first.arn,
    });
  }
  if (!view.transition.enabled && parseGuardReason(view.transition.reason)) {
    return unblock(view, input.alarms, input.insufficientData, 'enforce');
  }
  const waiting = view.waiting;
  if (!waiting?.token) return { kind: 'ignore', reason: 'converged: no approval waiting at the gate' };
  if (input.release === 'not-loaded') return { kind: 'need-release', executionId: waiting.executionId };
  if (!input.release) {
    return {
      kind: 'ignore',
      reason: `the Dev success of ${waiting.executionId} was never seen: a person decides`,
    };
  }
  if (input.now < new Date(input.release.bakeEndsAt)) {
    return { kind: 'ignore', reason: `${waiting.executionId} is still baking` };
  }
  return { kind: 'promote-due', release: input.release };
}
