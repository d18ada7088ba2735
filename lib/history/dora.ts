import type { HistoryEntry } from './history-entry';

/**
 * DORA-style figures of one pipeline over a period, from the decisions the guard announced (docs/visibility.md):
 * - deployments to Prod: executions the gate let into Prod (PromotionApproved, restores and overrides included), and
 *   those a person approved at the gate in the console (GateAnsweredByPerson Approved);
 * - change failure rate: Prod failures the guard recorded (a restore started, or a restore it could not make) per
 *   deployment to Prod;
 * - time to restore: from a Prod failure's restore starting to the restore's own approval into Prod;
 * - lead time: from Dev success to approval into Prod, median over the releases that are not restores.
 */
export type DoraFigures = {
  since: string;
  until: string;
  deploymentsToProd: number;
  prodFailures: number;
  /** undefined without any deployment in the period. */
  changeFailureRate?: number;
  restored: number;
  /** Prod failures whose restore had not reached Prod by `until`. */
  notRestored: number;
  medianMinutesToRestore?: number;
  medianLeadTimeMinutes?: number;
};

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;
const round1 = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10) / 10);

/** Pure: the figures of the entries of one pipeline (any order) between `since` and `until`. */
export function doraFigures(entries: HistoryEntry[], since: Date, until: Date): DoraFigures {
  const inPeriod = entries
    .filter((e) => e.at >= since.toISOString() && e.at <= until.toISOString())
    .sort((a, b) => a.at.localeCompare(b.at));
  const approvals = inPeriod.filter((e) => e.decision === 'PromotionApproved' || e.facts.personApproved);
  const failures = inPeriod.filter((e) => e.facts.prodFailure);
  const restoreTimes: number[] = [];
  for (const failure of failures.filter((f) => f.decision === 'RollbackStarted')) {
    const restore = approvals.find(
      (a) =>
        a.at >= failure.at &&
        ((failure.facts.failedExecutionId !== undefined &&
          a.facts.rollbackOf === failure.facts.failedExecutionId) ||
          (failure.facts.rollbackExecutionId !== undefined &&
            a.executionId === failure.facts.rollbackExecutionId)),
    );
    if (restore) restoreTimes.push(minutesBetween(failure.at, restore.at));
  }
  const leadTimes = approvals
    .filter((a) => a.facts.rollbackOf === undefined && a.facts.bakedMinutes !== undefined)
    .map((a) => a.facts.bakedMinutes!);
  const rate = approvals.length ? failures.length / approvals.length : undefined;
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    deploymentsToProd: approvals.length,
    prodFailures: failures.length,
    ...(rate === undefined ? {} : { changeFailureRate: Math.round(rate * 1000) / 1000 }),
    restored: restoreTimes.length,
    notRestored: failures.length - restoreTimes.length,
    ...(restoreTimes.length ? { medianMinutesToRestore: round1(median(restoreTimes)) } : {}),
    ...(leadTimes.length ? { medianLeadTimeMinutes: round1(median(leadTimes)) } : {}),
  };
}
