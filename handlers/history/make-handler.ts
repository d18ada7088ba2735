import type { GuardConfig } from '../../config/schema';
import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';
import { decisionKeyOf } from '../../lib/act/journal';
import type { History } from '../../lib/aws/history';
import { historyEntryOf, type HistoryEntry } from '../../lib/history/history-entry';
import { reaction, type GuardLogger } from '../../lib/reaction';

export type HistoryDeps = {
  config: Pick<GuardConfig, 'historyDays' | 'pipelines'>;
  history: Pick<History, 'record' | 'firstSeen'>;
  logger: GuardLogger;
};

/**
 * Keeps every decision the guard announced, with who and why (lib/aws/history.ts), for `release-guard history`.
 * Apart from the notifier and the metrics on purpose: a Slack outage cannot lose a line. One line per decision
 * key, whatever the copies. Its log line (who, decision, pipeline) feeds the dashboard's "by person" table.
 */
export function makeHandler(deps: HistoryDeps) {
  const prodStageOf = (pipeline: string) =>
    deps.config.pipelines.find((p) => p.name === pipeline)?.prodStage ?? 'Prod';
  return reaction('history', decisionEvent, deps.logger, async (parsed) => {
    const event = parsed as DecisionEvent;
    const entry = historyEntryOf(event, prodStageOf);
    if (!entry) {
      deps.logger.info('Decision names no pipeline: not kept', { eventId: event.id });
      return;
    }
    const outcome = await deps.history.record(entry, deps.config.historyDays);
    const restore = outcome === 'recorded' ? await restoreToProd(deps, entry) : {};
    deps.logger.info(outcome === 'copy' ? 'Decision already kept: a copy' : 'Decision kept', {
      decisionKey: entry.decisionKey,
      decision: entry.decision,
      pipeline: entry.pipeline,
      // Only the first: the dashboard counts these lines by person.
      ...(entry.who && outcome === 'recorded' ? { who: entry.who } : {}),
      ...restore,
    });
  });
}

/**
 * The approval of the guard's restore into Prod: how long after the rollback of the failed execution started
 * (its decision key, handlers/rollback/act-on-rollback.ts). The dashboard's "restores' time to Prod" reads this.
 */
async function restoreToProd(
  deps: HistoryDeps,
  entry: HistoryEntry,
): Promise<{ restoreToProdSeconds?: number }> {
  if (entry.decision !== 'PromotionApproved' || !entry.facts.rollbackOf) return {};
  const started = await deps.history.firstSeen(
    entry.pipeline,
    decisionKeyOf(entry.pipeline, 'rollback', entry.facts.rollbackOf).id,
  );
  if (!started) return {};
  return { restoreToProdSeconds: Math.round((Date.parse(entry.at) - Date.parse(started)) / 1000) };
}
