import type { GuardConfig } from '../../config/schema';
import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';
import type { History } from '../../lib/aws/history';
import { historyEntryOf } from '../../lib/history/history-entry';
import { reaction, type GuardLogger } from '../../lib/reaction';

export type HistoryDeps = {
  config: Pick<GuardConfig, 'historyDays' | 'pipelines'>;
  history: Pick<History, 'record'>;
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
    deps.logger.info(outcome === 'copy' ? 'Decision already kept: a copy' : 'Decision kept', {
      decisionKey: entry.decisionKey,
      decision: entry.decision,
      pipeline: entry.pipeline,
      // Only the first: the dashboard counts these lines by person.
      ...(entry.who && outcome === 'recorded' ? { who: entry.who } : {}),
    });
  });
}
