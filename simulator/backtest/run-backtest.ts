import { runScenario } from '../run-scenario';
import type { StageConfig } from '../stage-config';
import { compare, type Comparison } from './compare';
import { HistoryError, loadHistory } from './history';
import { historyToScenario } from './history-to-scenario';
import { renderComparison } from './render-comparison';

export type BacktestOutput = { json: boolean; print: (text: string) => void; error: (text: string) => void };

/** Replays an export-history document with the guard's real handlers and the stage's configuration. */
export async function backtest(
  file: string,
  stage: StageConfig,
): Promise<{ comparison: Comparison; title: string }> {
  const history = loadHistory(file);
  const plan = historyToScenario(history, stage);
  const run = await runScenario(plan.scenario);
  const title =
    `Backtest of ${stage.origin} over ${history.pipelines.map((p) => p.name).join(', ')}, ` +
    `${history.from.slice(0, 16).replace('T', ' ')} … ${history.to.slice(0, 16).replace('T', ' ')} UTC`;
  return { comparison: compare(plan, run), title };
}

/** `simulate --history`: exit 0 with the comparison, 2 when the history cannot be read. */
export async function runBacktest(file: string, stage: StageConfig, out: BacktestOutput): Promise<number> {
  let result;
  try {
    result = await backtest(file, stage);
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    out.error(error.message);
    return 2;
  }
  out.print(out.json ? JSON.stringify(result.comparison) : renderComparison(result.comparison, result.title));
  return 0;
}
