import { blockingStates } from '../../config/schema';
import type { AlarmNow } from '../../lib/aws/cloudwatch';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { ProdView } from '../../lib/aws/prod-transition';
import { restoresProd, type RestoreRecord } from '../../lib/aws/rollback-ledger';
import type { BlockingState } from '../../lib/transition-reason';
import { parseGuardReason } from '../../lib/transition-reason';
import {
  block,
  liftedByPerson,
  unblock,
  type GateAction,
  type InsufficientDataPolicy,
  type NeedRestore,
  type RestoreFact,
} from '../alarm-gate/decide-gate';

export type ReconcileInput = {
  view: ProdView;
  /** Every selected Dev alarm now. */
  alarms: AlarmNow[];
  /** What the guard recorded for the execution waiting at the gate; `not-loaded` until asked for. */
  release: ReleaseRecord | undefined | 'not-loaded';
  /** The guard's restore record of the execution waiting at the gate (undefined until asked for). */
  waitingRestore?: RestoreFact;
  /** The guard's restore record of the one execution waiting to enter Prod (undefined until asked for). */
  inboundRestore?: RestoreFact;
  prodStage: string;
  insufficientData: InsufficientDataPolicy;
  now: Date;
};

export type ReconcileDecision =
  | GateAction
  | NeedRestore
  | { kind: 'need-release'; executionId: string }
  | { kind: 'need-inbound-restore'; executionId: string }
  /** The bake of the execution at the gate is over: hand it to the promote decision (a BakeTimerFired). */
  | { kind: 'promote-due'; release: ReleaseRecord }
  /** The guard's restore waits at the gate and its gate event was lost: hand it to the promote decision. */
  | { kind: 'promote-restore'; restore: RestoreRecord };

/**
 * Converges one pipeline to the truth when events were lost: a firing alarm with an open transition is blocked;
 * a block the guard owns with every alarm quiet is lifted; an execution waiting at the gate after its bake (or
 * the guard's restore, which needs no bake) is handed to the promote decision, which alone approves (invariant 1).
 * A transition someone else closed is not the reconciler's business: it is neither reopened nor announced again.
 */
export function decideReconcile(input: ReconcileInput): ReconcileDecision {
  const { view } = input;
  const blocking = blockingStates(input.insufficientData);
  const firing = input.alarms
    .filter((a) => blocking.has(a.state))
    .sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0));
  // An alarm that fired after a person lifted the block is a new episode: it is the one to act on.
  const first = firing.find((a) => !liftedByPerson(view, a.since?.toISOString())) ?? firing[0];
  if (first) {
    const fact = {
      name: first.name,
      state: first.state as BlockingState,
      since: first.since?.toISOString(),
      reason: first.reason,
      arn: first.arn,
    };
    const action = block(view, fact, input.waitingRestore, input.prodStage);
    if (action.kind !== 'ignore') return action;
    // The guard's restore at the gate is not held by the alarm: promote lets it pass (its gate event was lost).
    const restore = view.waiting?.token ? loaded(input.waitingRestore) : undefined;
    if (restore && restoresProd(restore, input.prodStage)) return { kind: 'promote-restore', restore };
    return liftForRestore(input) ?? action;
  }
  if (!view.transition.enabled && parseGuardReason(view.transition.reason)) {
    return unblock(view, input.alarms, input.insufficientData, 'enforce');
  }
  const waiting = view.waiting;
  if (!waiting?.token) return { kind: 'ignore', reason: 'converged: no approval waiting at the gate' };
  if (input.release === 'not-loaded') return { kind: 'need-release', executionId: waiting.executionId };
  if (!input.release) return restoreAtGate(input, waiting.executionId);
  if (input.now < new Date(input.release.bakeEndsAt)) {
    return { kind: 'ignore', reason: `${waiting.executionId} is still baking` };
  }
  return { kind: 'promote-due', release: input.release };
}

/** No Dev success was seen for the execution at the gate: a RollbackStage restore never ran Dev. */
function restoreAtGate(input: ReconcileInput, executionId: string): ReconcileDecision {
  if (input.waitingRestore === undefined) return { kind: 'need-restore', executionId };
  const restore = loaded(input.waitingRestore);
  if (restore && restoresProd(restore, input.prodStage)) return { kind: 'promote-restore', restore };
  return { kind: 'ignore', reason: `the Dev success of ${executionId} was never seen: a person decides` };
}

/**
 * The guard's own block holds back its own restart (a restore of a Prod failure that ran Dev again): lift it,
 * so the restore reaches the gate, where promote lets it pass. Only when that restore is the one execution
 * waiting to enter Prod; anything that follows it still needs promote's approval, which checks the alarm
 * history, and the next run (or alarm event) closes Prod again while the alarm fires.
 */
function liftForRestore(input: ReconcileInput): ReconcileDecision | undefined {
  const { transition, prodInbound } = input.view;
  const owned = transition.enabled ? undefined : parseGuardReason(transition.reason);
  const [inbound] = prodInbound;
  if (!owned || inbound === undefined || prodInbound.length !== 1) return undefined;
  if (input.inboundRestore === undefined) return { kind: 'need-inbound-restore', executionId: inbound };
  const restore = loaded(input.inboundRestore);
  if (!restore || !restoresProd(restore, input.prodStage)) return undefined;
  return {
    kind: 'unblock',
    enable: true,
    transitionReason: transition.reason,
    blockedSince: owned.since.toISOString(),
    alarmsChecked: [],
    forRestore: inbound,
  };
}

const loaded = (fact: RestoreFact): RestoreRecord | undefined => (fact === 'none' ? undefined : fact);
