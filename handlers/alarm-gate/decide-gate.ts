import { blockingStates, type AlarmSelector, type Mode } from '../../config/schema';
import type { AlarmFact } from '../../events/guard/promotion-blocked';
import type { AlarmNow } from '../../lib/aws/cloudwatch';
import type { ProdView } from '../../lib/aws/prod-transition';
import { restoresProd, type RestoreRecord } from '../../lib/aws/rollback-ledger';
import { formatGuardReason, parseGuardReason, type BlockingState } from '../../lib/transition-reason';
import { isCommandPrincipal, isGuardPrincipal } from '../../lib/guard-principal';
import { guardRejectionSummary } from '../../lib/effects/gate';

export { isCommandPrincipal, isGuardPrincipal };

export type InsufficientDataPolicy = 'ignore' | 'block';

/**
 * What the guard does to one pipeline's Prod inbound transition and gate. Shared by the alarm reaction and the
 * reconciler: both end in a block (close, reject the waiting approval), an unblock (reopen only what the guard
 * closed), or nothing.
 */
export type GateAction =
  | { kind: 'ignore'; reason: string }
  /**
   * A person re-enabled the transition the guard closed (a lift-block in the console) after these alarms fired:
   * the guard leaves Prod open for this alarm episode, until one of them recovers and fires again or another
   * selected alarm fires, and says so once. The gate still approves nothing unbaked or unhealthy (invariant 1).
   */
  | { kind: 'respect-lift'; by: string; at: string; alarms: AlarmFact[] }
  | {
      kind: 'block';
      /** False when someone else already closed the transition: their reason stays. */
      disable: boolean;
      transitionReason: string;
      alreadyDisabledBy?: string;
      /**
       * `unlessGuardRestore`: Prod is closed first, and the reject effect itself reads whether the waiting execution
       * is the guard's restore of a Prod failure (then it is left waiting), so nothing delays the close.
       */
      reject?: { executionId: string; token: string; summary: string; unlessGuardRestore?: boolean };
      alarms: AlarmFact[];
    }
  | {
      kind: 'unblock';
      /** False when the transition is closed with a reason that is not the guard's (invariant 2). */
      enable: boolean;
      transitionReason?: string;
      blockedSince?: string;
      alarmsChecked: string[];
      /** Set when the guard lifts its own block, alarms still firing, to let its own restore into Prod. */
      forRestore?: string;
    };

/** The guard's restore record of an execution: undefined until read, `none` when there is none. */
export type RestoreFact = RestoreRecord | 'none' | undefined;

/** The block must know whether the approval waiting at the gate is the guard's own restore. */
export type NeedRestore = { kind: 'need-restore'; executionId: string };

/** Does the selector pick this alarm? `undefined` until the tags are known, when the selector needs them. */
export function selects(
  selector: AlarmSelector,
  alarmName: string,
  tags: Record<string, string> | undefined,
): boolean | undefined {
  if (selector.namePrefix !== undefined && !alarmName.startsWith(selector.namePrefix)) return false;
  if (!selector.tags) return true;
  if (!tags) return undefined;
  return Object.entries(selector.tags).every(([k, v]) => tags[k] === v);
}

/**
 * Close the transition (unless someone else holds it closed) and reject the approval waiting at the gate —
 * unless that approval is the guard's own restore of a Prod failure: Dev alarms do not hold it (they are likely
 * the failed release's). The restore record is read only when an approval waits: before deciding, or — with
 * `closeFirst` (the alarm event, enforce mode) and Prod open — by the reject effect, after the close.
 */
export function block(
  view: ProdView,
  firing: AlarmFact & { state: BlockingState },
  waitingRestore: RestoreFact,
  prodStage: string,
  { closeFirst = false }: { closeFirst?: boolean } = {},
): GateAction | NeedRestore {
  const lift = liftedByPerson(view, firing.since);
  if (lift && isCommandPrincipal(lift.by)) {
    // `release-guard lift-block`: the command announced who lifted it, why and for how long; said once, there.
    return {
      kind: 'ignore',
      reason: `a person lifted this block with release-guard lift-block at ${lift.at.toISOString()}: Prod stays open for this alarm episode`,
    };
  }
  if (lift) return { kind: 'respect-lift', by: lift.by, at: lift.at.toISOString(), alarms: [firing] };
  const since = firing.since ? new Date(firing.since) : new Date(0);
  const transitionReason = formatGuardReason({ alarmName: firing.name, state: firing.state, since });
  const { transition, waiting } = view;
  const foreign = !transition.enabled && !parseGuardReason(transition.reason);
  if (waiting?.token !== undefined && waitingRestore === undefined) {
    const reject = rejection(waiting, transitionReason);
    if (closeFirst && transition.enabled && reject) {
      return {
        kind: 'block',
        disable: true,
        transitionReason,
        reject: { ...reject, unlessGuardRestore: true },
        alarms: [firing],
      };
    }
    return { kind: 'need-restore', executionId: waiting.executionId };
  }
  const restore = waitingRestore === 'none' ? undefined : waitingRestore;
  const reject = restoresProd(restore, prodStage) ? undefined : rejection(waiting, transitionReason);
  if (transition.enabled) {
    return { kind: 'block', disable: true, transitionReason, reject, alarms: [firing] };
  }
  if (!reject) {
    const held = foreign
      ? `Prod is already closed by someone else (${transition.reason ?? 'no reason'})`
      : 'the guard already holds the Prod transition closed';
    const passes = restore
      ? `; ${restore.restoreExecutionId} at the gate is the guard's restore: not rejected`
      : '';
    return { kind: 'ignore', reason: `${held}${passes}` };
  }
  // Closed already, yet an approval waits (its token came late, or someone else closed Prod): reject it.
  return {
    kind: 'block',
    disable: false,
    transitionReason: transition.reason ?? '',
    alreadyDisabledBy: foreign ? (transition.changedBy ?? 'someone else') : undefined,
    reject,
    alarms: [firing],
  };
}

/**
 * Whether a person opened the transition after the alarm entered its state (brief, item 10: a person re-enabling a
 * transition the guard closed is a lift-block for the alarms firing at that moment). An alarm that fired after the
 * person's change is a new episode: not lifted.
 */
export function liftedByPerson(
  view: ProdView,
  alarmSince: string | undefined,
): { by: string; at: Date } | undefined {
  const t = view.transition;
  if (!t.enabled || !t.changedAt || !t.changedBy || isGuardPrincipal(t.changedBy)) return undefined;
  if (!alarmSince || new Date(alarmSince) >= t.changedAt) return undefined;
  return { by: t.changedBy, at: t.changedAt };
}

function rejection(waiting: ProdView['waiting'], transitionReason: string) {
  if (waiting?.token === undefined) return undefined;
  return {
    executionId: waiting.executionId,
    token: waiting.token,
    summary: guardRejectionSummary(waiting.executionId, transitionReason),
  };
}

/**
 * Every selected alarm is out of the blocking states: reopen the transition if the reason on it is the guard's.
 * In observe mode the guard never closed it, so an open transition stands for the block it would have made.
 */
export function unblock(
  view: ProdView,
  current: AlarmNow[],
  policy: InsufficientDataPolicy,
  mode: Mode,
): GateAction {
  if (current.length === 0) {
    // A selector that matches nothing proves nothing (brief, "Accounts"): what the guard closed stays closed.
    return { kind: 'ignore', reason: 'no Dev alarm matches the selector, so Dev health cannot be proven' };
  }
  const blocking = blockingStates(policy);
  const firing = current.filter((a) => blocking.has(a.state));
  if (firing.length > 0) {
    return {
      kind: 'ignore',
      reason: `still firing: ${firing.map((a) => `${a.name} (${a.state})`).join(', ')}`,
    };
  }
  const { transition } = view;
  const alarmsChecked = current.map((a) => a.name);
  if (transition.enabled) {
    if (mode === 'observe') return { kind: 'unblock', enable: true, alarmsChecked };
    return { kind: 'ignore', reason: 'the Prod transition is open: nothing to unblock' };
  }
  const owned = parseGuardReason(transition.reason);
  return {
    kind: 'unblock',
    enable: owned !== undefined,
    transitionReason: transition.reason,
    blockedSince: owned?.since.toISOString(),
    alarmsChecked,
  };
}

/** The ledger key of an announcement that no pipeline state makes idempotent (see act-on-gate.ts). */
export function decisionKey(
  action: GateAction,
  view: ProdView | undefined,
  signal?: { alarmName: string; at: Date },
): string {
  if (action.kind === 'unblock' && !action.enable) {
    return `left-disabled ${view?.transition.changedAt?.toISOString() ?? action.transitionReason ?? ''}`;
  }
  if (action.kind === 'block')
    return `block ${action.alarms[0]?.name ?? ''} ${action.alarms[0]?.since ?? ''}`;
  if (action.kind === 'respect-lift')
    return `lifted ${action.alarms[0]?.name ?? ''} ${action.alarms[0]?.since ?? ''} ${action.at}`;
  return `${action.kind} ${signal?.alarmName ?? ''} ${signal?.at.toISOString() ?? ''}`;
}
