import type { GuardConfig } from '../../config/schema';
import type { History } from '../../lib/aws/history';
import { doraFigures, type DoraFigures } from '../../lib/history/dora';
import type { HistoryEntry } from '../../lib/history/history-entry';
import type { CommandAnswer } from './run-command';

/** How far back `history` looks without `--since`. */
export const HISTORY_DEFAULT_DAYS = 30;

export type HistoryRequest = { command: 'history'; pipeline: string; since?: string };

/**
 * The decisions the guard announced for one pipeline since a time, newest first, with who and why, and the
 * DORA-style figures of that period (lib/history/dora.ts). Reads only: open to every caller IAM verified.
 */
export async function history(
  deps: { config: GuardConfig; history: Pick<History, 'list'>; now: () => Date },
  request: HistoryRequest,
): Promise<CommandAnswer> {
  const pipeline = deps.config.pipelines.find((p) => p.name === request.pipeline);
  if (!pipeline) {
    const names = deps.config.pipelines.map((p) => p.name).join(', ');
    return {
      status: 404,
      ok: false,
      message: `${request.pipeline} is not a pipeline this guard watches (${names})`,
    };
  }
  const now = deps.now();
  const since = request.since
    ? new Date(request.since)
    : new Date(now.getTime() - HISTORY_DEFAULT_DAYS * 86_400_000);
  const { entries, truncated } = await deps.history.list(pipeline.name, since);
  const figures = doraFigures(entries, since, now);
  const lines = [
    `${pipeline.name} since ${since.toISOString()}: ${entries.length} decision(s)${truncated ? ' (the newest only: narrow --since)' : ''}`,
    figuresLine(figures),
    ...entries.map(entryLine),
  ];
  return {
    status: 200,
    ok: true,
    message: lines.join('\n'),
    pipeline: pipeline.name,
    figures,
    entries,
    truncated,
  };
}

function figuresLine(f: DoraFigures): string {
  const rate = f.changeFailureRate === undefined ? 'n/a' : `${Math.round(f.changeFailureRate * 1000) / 10} %`;
  const restore =
    f.medianMinutesToRestore === undefined
      ? 'n/a'
      : `${f.medianMinutesToRestore} min (median of ${f.restored})`;
  const lead = f.medianLeadTimeMinutes === undefined ? 'n/a' : `${f.medianLeadTimeMinutes} min (median)`;
  return (
    `deployments to Prod ${f.deploymentsToProd} · change failure rate ${rate} (${f.prodFailures} Prod failure(s)` +
    `${f.notRestored ? `, ${f.notRestored} not restored` : ''}) · time to restore ${restore} · ` +
    `lead time Dev success → Prod ${lead}`
  );
}

function entryLine(e: HistoryEntry): string {
  return [
    e.at,
    e.decision + (e.mode === 'observe' ? ' (observe)' : ''),
    e.executionId ? `execution ${e.executionId.slice(0, 8)}` : undefined,
    e.commitId ? `commit ${e.commitId.slice(0, 7)}` : undefined,
    e.who ? `by ${e.who}` : undefined,
    e.reason,
  ]
    .filter(Boolean)
    .join(' · ');
}
