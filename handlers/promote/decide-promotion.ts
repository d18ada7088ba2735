import { blockingStates } from '../../config/schema';
import { GUARD_REJECTION_PREFIX } from '../../events/guard/promotion-rejected';
import type { AlarmNow, AlarmTransition } from '../../lib/aws/cloudwatch';
import type { GateState } from '../../lib/aws/codepipeline';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import { restoresProd, type RestoreRecord } from '../../lib/aws/rollback-ledger';
import type { HoldFact } from '../../events/guard/person-command';
import type { OverrideRecord } from '../../lib/aws/holds';
import type { FreezeState } from '../../lib/freeze/freeze-state';

/** `person`: the last hold on the pipeline ended (PersonCommand release-hold), so the gate looks again. */
export type PromotionTrigger = 'timer' | 'gate-started' | 'reconciler' | 'person' | 'override';

/** `transitions` is read only when a selected alarm changed state since the Dev success. */
export type AlarmFacts = { current: AlarmNow[]; transitions?: AlarmTransition[] };

export type PromotionInput = {
  executionId: string;
  trigger: PromotionTrigger;
  /**
   * What the guard recorded when the execution left Dev: undefined when that was never seen, `not-loaded`
   * until the decision asks for it (the timer carries it; the gate start must read the ledger).
   */
  release: ReleaseRecord | undefined | 'not-loaded';
  gate: GateState;
  /** Absent until the decision asks for it, so a wait or a supersession costs no alarm reads. */
  alarms?: AlarmFacts;
  /**
   * The guard's record that E is a restore it started to a known-good release (handlers/rollback), read only
   * when the gate would otherwise hold E: `not-loaded` until then, undefined when E is no such restore.
   */
  restore: RestoreRecord | undefined | 'not-loaded';
  /**
   * E's type as CodePipeline reports it (`STANDARD` or `ROLLBACK`), read only when E has no restore record and the
   * gate would hold or reject it: `not-loaded` until then.
   */
  executionType?: string | 'not-loaded';
  /** The guarded pipeline's Prod stage: only a restore of a failure there passes unbaked. */
  prodStage: string;
  insufficientData: 'ignore' | 'block';
  /** The pipeline's standing holds (a person's), read only once E could be approved; undefined until then. */
  holds?: HoldFact[];
  /** The freeze windows and Change Calendars now (config freeze), read only once E could be approved. */
  freeze?: FreezeState;
  /** trigger `override`: the person's recorded promote-now of E (undefined until read, null when none). */
  override?: OverrideRecord | null;
  now: Date;
};

export type Offender = { name: string; state: string; since?: string };

export type PromotionDecision =
  | { kind: 'ignore'; reason: string }
  /** `unproven`: the wait is a misconfiguration people must hear of (reported once per execution). */
  | { kind: 'wait'; reason: string; until?: Date; unproven?: true }
  /** E would be approved, but people hold the pipeline: it waits at the gate until the last hold ends. */
  | {
      kind: 'held';
      reason: string;
      holds: HoldFact[];
      freeze?: FreezeState;
      bakedMinutes: number;
      alarmsChecked: string[];
    }
  | { kind: 'need-holds' }
  | { kind: 'need-freeze' }
  | { kind: 'need-override' }
  /** A person's promote-now that the gate will not carry out: a selected Dev alarm fires (no despiteAlarm). */
  | { kind: 'override-refused'; reason: string; override: OverrideRecord; firing: Offender[] }
  | { kind: 'await-token'; reason: string }
  | { kind: 'need-release' }
  | { kind: 'need-alarms'; since: Date }
  | { kind: 'need-history'; since: Date; names: string[] }
  | { kind: 'need-restore' }
  | { kind: 'need-execution' }
  | {
      kind: 'approve';
      token: string;
      /** A person's break glass (invariant 1's second exception): who, why, and what the gate skipped. */
      override?: { by: string; reason: string; skipped: string[] };
      summary: string;
      bakedMinutes: number;
      alarmsChecked: string[];
      /** Set when E passes as the guard's restore after this failed execution (invariant 1's exception). */
      rollbackOf?: string;
    }
  | {
      kind: 'reject';
      token: string;
      reason: 'superseded' | 'alarm' | 'dev-restore';
      summary: string;
      supersededBy?: string;
      offenders: Offender[];
    };

/**
 * Decides whether the execution waiting at the Prod gate may pass; approval needs every condition of
 * invariant 1. Facts are asked for one at a time (`need-*`), cheapest and most decisive first, so a wait or a
 * supersession costs no ledger or alarm reads; alarms are read only once the gate can be answered.
 */
export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { gate, executionId: id } = input;
  if (gate.waiting?.executionId !== id) {
    return { kind: 'ignore', reason: `${id} is not waiting at the gate` };
  }
  if (input.trigger === 'override') return breakGlass(input);
  const verdict = restoreOrJudge(input);
  if (verdict.kind === 'ignore' || verdict.kind === 'wait' || verdict.kind === 'need-release') return verdict;
  if (verdict.kind === 'need-restore' || verdict.kind === 'need-execution') return verdict;
  // An approval that starts again after the gate rejected E (a person's promote-now retried its Prod stage) is the
  // person's to decide: the recorded override, never a second rejection racing it.
  if (verdict.kind === 'reject' && verdict.reason !== 'dev-restore' && input.trigger === 'gate-started') {
    if (input.override === undefined) return { kind: 'need-override' };
    if (input.override) return breakGlass(input);
  }
  const token = gate.waiting.token;
  if (!token) return { kind: 'await-token', reason: 'the gate has no approval token yet' };
  if (verdict.kind === 'need-alarms' || verdict.kind === 'need-history') return verdict;
  if (verdict.kind === 'approve' && !verdict.rollbackOf) {
    // A hold stops new releases entering Prod; the guard's own restores pass it (brief, item 10).
    if (!input.holds) return { kind: 'need-holds' };
    if (!input.freeze) return { kind: 'need-freeze' };
    const frozen = input.freeze.frozen ? input.freeze : undefined;
    if (input.holds.length > 0 || frozen) {
      const who = input.holds.map((h) => `held by ${h.by} (${h.reason})`);
      return {
        kind: 'held',
        reason: [...who, ...(frozen ? frozen.reasons.map((r) => `frozen: ${r}`) : [])].join('; '),
        holds: input.holds,
        ...(frozen ? { freeze: frozen } : {}),
        bakedMinutes: verdict.bakedMinutes,
        alarmsChecked: verdict.alarmsChecked,
      };
    }
  }
  return { ...verdict, token };
}

type Verdict =
  | Exclude<
      PromotionDecision,
      {
        kind:
          | 'approve'
          | 'reject'
          | 'await-token'
          | 'held'
          | 'need-holds'
          | 'need-freeze'
          | 'need-override'
          | 'override-refused';
      }
    >
  | Omit<Extract<PromotionDecision, { kind: 'approve' }>, 'token'>
  | Omit<Extract<PromotionDecision, { kind: 'reject' }>, 'token'>;

/**
 * Invariant 1's only exception: a restore the guard itself started after a Prod failure passes without a
 * bake, and Dev alarms (likely the failed release's) or a newer Dev success do not hold it. It is looked up
 * when E reaches the gate and the gate would hold it, and before any approval: a restart that restored Dev
 * only is never approved, even after a full bake (its gate event lost, or held at the transition), since it
 * would replace the newer release Prod may run.
 */
function restoreOrJudge(input: PromotionInput): Verdict {
  const verdict = judge(input);
  if (verdict.kind === 'approve') return notDevRestore(input, verdict);
  // A restore is answered when it reaches the gate; a bake timer belongs to an ordinary release.
  if (verdict.kind !== 'wait' && verdict.kind !== 'reject') return verdict;
  if (input.trigger === 'timer') return verdict;
  if (input.restore === 'not-loaded') return { kind: 'need-restore' };
  if (!input.restore) return unrecordedRollback(input, verdict);
  const r = input.restore;
  if (!restoresProd(r, input.prodStage)) return devRestoreAtProd(r);
  const commit = r.targetCommitId ? ` commit ${r.targetCommitId.slice(0, 12)}` : '';
  return {
    kind: 'approve',
    bakedMinutes: 0,
    alarmsChecked: [],
    rollbackOf: r.failedExecutionId,
    summary:
      `Approved by release-guard: rollback to the known-good${commit} (execution ${r.targetExecutionId}) ` +
      `after ${r.failedExecutionId} failed; no bake, Dev alarms not checked.`,
  };
}

/**
 * A ROLLBACK execution at the gate with no restore record: a person's RollbackStage, or the guard's own whose
 * record is not written yet (its Lambda retried after a crash or a lost answer — the record follows within minutes).
 * Neither is judged as a release (it has no bake and "superseded" means nothing for it): it waits, unapproved and
 * unrejected, for the guard's record (the reconciler then hands it to the gate) or a person's answer.
 */
function unrecordedRollback(input: PromotionInput, verdict: Verdict): Verdict {
  // An execution whose Dev success the guard recorded ran Dev: a rollback of Prod never does.
  if (input.release !== undefined && input.release !== 'not-loaded') return verdict;
  if (input.executionType === undefined || input.executionType === 'not-loaded')
    return { kind: 'need-execution' };
  if (input.executionType !== 'ROLLBACK') return verdict;
  return {
    kind: 'wait',
    reason:
      `${input.executionId} is a rollback the guard has no record of (yet): it waits for the guard's restore ` +
      'record or a person’s answer at the gate',
  };
}

function notDevRestore(input: PromotionInput, approve: Verdict): Verdict {
  if (input.restore === 'not-loaded') return { kind: 'need-restore' };
  if (input.restore && !restoresProd(input.restore, input.prodStage)) return devRestoreAtProd(input.restore);
  return approve;
}

/**
 * A restore of a Dev failure restored Dev only: Prod still runs a release that passed the gate (maybe newer
 * than the restore's target), so the restart's arrival at the Prod gate must not regress Prod.
 */
function devRestoreAtProd(r: RestoreRecord): Verdict {
  return {
    kind: 'reject',
    reason: 'dev-restore',
    offenders: [],
    summary:
      `${GUARD_REJECTION_PREFIX}: this execution restored ${r.failedStage ?? 'Dev'} only, after ` +
      `${r.failedExecutionId} failed there; Prod already runs a known good release.`,
  };
}

function judge(input: PromotionInput): Verdict {
  const id = input.executionId;
  const newer = newerDevSuccess(input.gate, id);
  if (newer) {
    return {
      kind: 'reject',
      reason: 'superseded',
      supersededBy: newer,
      offenders: [],
      summary: `${GUARD_REJECTION_PREFIX}: superseded by ${newer}, a newer execution that succeeded in Dev.`,
    };
  }
  if (input.release === 'not-loaded') return { kind: 'need-release' };
  if (!input.release) {
    return { kind: 'wait', reason: `the Dev success of ${id} was never seen, so its bake cannot be proven` };
  }
  const devSucceededAt = new Date(input.release.devSucceededAt);
  const bakeEndsAt = new Date(input.release.bakeEndsAt);
  if (input.now < bakeEndsAt) return { kind: 'wait', reason: 'bake not over', until: bakeEndsAt };
  if (!input.alarms) return { kind: 'need-alarms', since: devSucceededAt };

  if (input.alarms.current.length === 0) {
    // A selector that matches nothing is a misconfiguration, not a healthy Dev.
    return {
      kind: 'wait',
      reason: 'no Dev alarm matches the selector, so Dev health cannot be proven',
      unproven: true,
    };
  }
  const blocking = blockingStates(input.insufficientData);
  const firing = input.alarms.current.filter((a) => blocking.has(a.state));
  // An alarm whose state has not changed since the Dev success has been in that state the whole time.
  const changed = input.alarms.current.filter((a) => !a.since || a.since > devSucceededAt);
  if (firing.length === 0 && changed.length > 0 && !input.alarms.transitions) {
    return { kind: 'need-history', since: devSucceededAt, names: changed.map((a) => a.name) };
  }
  const offenders = alarmOffenders(input.alarms, blocking);
  if (offenders.length > 0) {
    const names = offenders.map((o) => `${o.name} (${o.state}${o.since ? ` at ${o.since}` : ''})`).join(', ');
    return {
      kind: 'reject',
      reason: 'alarm',
      offenders,
      summary: `${GUARD_REJECTION_PREFIX}: Dev alarm ${names} since ${id} left Dev.`,
    };
  }
  const bakedMinutes = Math.floor((input.now.getTime() - devSucceededAt.getTime()) / 60_000);
  const commit = input.release.commitId ? `, commit ${input.release.commitId.slice(0, 12)}` : '';
  const checked = input.alarms.current.map((a) => a.name);
  return {
    kind: 'approve',
    bakedMinutes,
    alarmsChecked: checked,
    summary: `Approved by release-guard: baked ${bakedMinutes} min, 0 alarms of ${checked.length} fired${commit}.`,
  };
}

/**
 * Invariant 1's second exception: a person's recorded promote-now (the record the command function wrote, never the
 * event) lets E through before its bake is over, past holds; never while a selected Dev alarm fires unless the
 * person said despiteAlarm. The approval says exactly what it skipped.
 */
function breakGlass(input: PromotionInput): PromotionDecision {
  const id = input.executionId;
  if (input.override === undefined) return { kind: 'need-override' };
  if (input.override === null) return { kind: 'ignore', reason: `no promote-now of ${id} is recorded` };
  const o = input.override;
  if (input.release === 'not-loaded') return { kind: 'need-release' };
  const token = input.gate.waiting?.token;
  if (!token) return { kind: 'await-token', reason: 'the gate has no approval token yet' };
  const devSucceededAt = input.release ? new Date(input.release.devSucceededAt) : input.now;
  if (!input.alarms) return { kind: 'need-alarms', since: devSucceededAt };
  const blocking = blockingStates(input.insufficientData);
  const firing = input.alarms.current
    .filter((a) => blocking.has(a.state))
    .map((a) => ({ name: a.name, state: a.state, since: a.since?.toISOString() }));
  const firingText = firing.map((a) => `${a.name} (${a.state})`).join(', ');
  if (firing.length > 0 && !o.despiteAlarm) {
    return {
      kind: 'override-refused',
      reason: `${firingText} fires: promote-now passes a firing Dev alarm only with despiteAlarm`,
      override: o,
      firing,
    };
  }
  if (!input.holds) return { kind: 'need-holds' };
  if (!input.freeze) return { kind: 'need-freeze' };
  const skipped: string[] = [];
  const baked = input.release
    ? Math.max(0, Math.floor((input.now.getTime() - devSucceededAt.getTime()) / 60_000))
    : 0;
  if (!input.release) skipped.push('the bake (its Dev success was never seen)');
  else if (input.now < new Date(input.release.bakeEndsAt)) {
    const total = Math.round(
      (new Date(input.release.bakeEndsAt).getTime() - devSucceededAt.getTime()) / 60_000,
    );
    skipped.push(`the bake (${baked} of ${total} min)`);
  }
  if (input.holds.length) skipped.push(`holds by ${input.holds.map((h) => h.by).join(', ')}`);
  if (input.freeze.frozen) skipped.push(`the freeze (${input.freeze.reasons.join('; ')})`);
  if (firing.length) skipped.push(`firing Dev alarms ${firingText} (despiteAlarm)`);
  skipped.push('the Dev alarm history since Dev');
  const newer = newerDevSuccess(input.gate, id);
  if (newer) skipped.push(`a newer Dev success (${newer})`);
  const summary = `Approved by ${o.by} (promote-now, break glass): ${o.reason}. Skipped: ${skipped.join('; ')}.`;
  return {
    kind: 'approve',
    token,
    bakedMinutes: baked,
    alarmsChecked: input.alarms.current.map((a) => a.name),
    override: { by: o.by, reason: o.reason, skipped },
    summary: summary.length > 512 ? `${summary.slice(0, 509)}...` : summary,
  };
}

/** A newer execution finished Dev after this one if it is Dev's latest success or waits to enter Prod. */
function newerDevSuccess(gate: GateState, executionId: string): string | undefined {
  const inbound = gate.prodInbound.find((e) => e !== executionId);
  if (inbound) return inbound;
  const dev = gate.devLatest;
  if (dev && dev.executionId !== executionId && dev.status === 'Succeeded') return dev.executionId;
  return undefined;
}

function alarmOffenders(alarms: AlarmFacts, blocking: ReadonlySet<string>): Offender[] {
  const offenders = new Map<string, Offender>();
  for (const a of alarms.current) {
    if (blocking.has(a.state))
      offenders.set(a.name, { name: a.name, state: a.state, since: a.since?.toISOString() });
  }
  for (const t of alarms.transitions ?? []) {
    if (offenders.has(t.name)) continue;
    if (blocking.has(t.to)) offenders.set(t.name, { name: t.name, state: t.to, since: t.at.toISOString() });
    else if (t.from && blocking.has(t.from)) offenders.set(t.name, { name: t.name, state: t.from });
  }
  return [...offenders.values()];
}
