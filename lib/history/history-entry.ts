import type { DecisionEvent } from '../../events/guard/decision-event';

/**
 * One announced decision as the history keeps it: what, when, about which execution and commit, why, and — for a
 * person's action — who (the IAM identity the guard verified, never a field a caller filled in).
 */
export type HistoryEntry = {
  pipeline: string;
  decisionKey: string;
  /** When the decision was announced (the event's time), ISO-8601. */
  at: string;
  /** The detail-type, with the command for a person's (`PersonCommand hold`). */
  decision: string;
  mode: string;
  executionId?: string;
  commitId?: string;
  reason?: string;
  who?: string;
  /** What the DORA figures need (lib/history/dora.ts). */
  facts: HistoryFacts;
};

export type HistoryFacts = {
  /** PromotionApproved: minutes since its Dev success (lead time). */
  bakedMinutes?: number;
  /** GateAnsweredByPerson: a person approved the gate in the console (a deployment to Prod too). */
  personApproved?: boolean;
  /** PromotionApproved of the guard's restore: the failed execution it restores. */
  rollbackOf?: string;
  /** A failure in Prod the guard recorded (RollbackStarted / RollbackSkipped of a Prod failure). */
  prodFailure?: boolean;
  /** RollbackStarted: the failed execution, and the execution that restores it when known. */
  failedExecutionId?: string;
  rollbackExecutionId?: string;
};

type Detail = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Skips that are about a real failure (not a rejection at the gate, a rollback of a rollback, …). */
const FAILURE_SKIPS = new Set(['no-known-good-release', 'target-is-failing-commit', 'rollback-failed']);

/** Pure: the history entry of a decision; `prodStageOf` names the Prod stage of a pipeline (config). */
export function historyEntryOf(
  event: DecisionEvent,
  prodStageOf: (pipeline: string) => string,
): HistoryEntry | undefined {
  const d = event.detail as Detail;
  const pipeline = text(d.pipeline);
  if (!pipeline) return undefined;
  const type = event['detail-type'];
  const who =
    text(type === 'PersonCommand' || type === 'GateAnsweredByPerson' ? d.by : undefined) ??
    text((d.override as Detail | undefined)?.by) ??
    text((d.requestedBy as Detail | undefined)?.by);
  const executionId = text(d.executionId) ?? text(d.failedExecutionId) ?? text(d.waitingExecutionId);
  const commitId = text(d.commitId) ?? text(d.failedCommitId);
  const reason = reasonOf(d);
  return {
    pipeline,
    decisionKey: text(d.decisionKey) ?? `event ${event.id}`,
    at: new Date(event.time).toISOString(),
    decision: type === 'PersonCommand' ? `${type} ${String(d.command)}` : type,
    mode: String(d.mode),
    ...(executionId ? { executionId } : {}),
    ...(commitId ? { commitId } : {}),
    ...(reason ? { reason } : {}),
    ...(who ? { who } : {}),
    facts: factsOf(type, d, prodStageOf(pipeline)),
  };
}

/** The sentence a person reads: the decision's summary, else its reason or outcome, else what failed. */
function reasonOf(d: Detail): string | undefined {
  const alarms = Array.isArray(d.alarms)
    ? (d.alarms as Detail[]).map((a) => text(a.name)).filter(Boolean)
    : [];
  const error = d.error as Detail | undefined;
  return (
    text(d.summary) ??
    (typeof d.reason === 'string' ? [d.reason, text(d.detail)].filter(Boolean).join(': ') : undefined) ??
    text(d.failureSummary) ??
    (alarms.length ? `Dev alarm ${alarms.join(', ')}` : undefined) ??
    (error ? [text(error.message), text(d.consequence)].filter(Boolean).join('; ') : undefined) ??
    text(d.outcome) ??
    text(d.status)
  );
}

function factsOf(type: DecisionEvent['detail-type'], d: Detail, prodStage: string): HistoryFacts {
  if (type === 'GateAnsweredByPerson') return { personApproved: d.status === 'Approved' };
  if (type === 'PromotionApproved') {
    return {
      ...(typeof d.bakedMinutes === 'number' ? { bakedMinutes: d.bakedMinutes } : {}),
      ...(text(d.rollbackOf) ? { rollbackOf: text(d.rollbackOf) } : {}),
    };
  }
  if (type === 'RollbackStarted') {
    const prodFailure = d.failedInProd === true || d.failedStage === prodStage || !!d.requestedBy;
    return {
      prodFailure,
      ...(text(d.failedExecutionId) ? { failedExecutionId: text(d.failedExecutionId) } : {}),
      ...(text(d.rollbackExecutionId) ? { rollbackExecutionId: text(d.rollbackExecutionId) } : {}),
    };
  }
  if (type === 'RollbackSkipped') {
    return { prodFailure: d.failedStage === prodStage && FAILURE_SKIPS.has(String(d.reason)) };
  }
  return {};
}
