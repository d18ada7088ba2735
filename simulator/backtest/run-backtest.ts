import { writeFileSync } from 'node:fs';
import { renderHtml } from '../html/render-html';
import { runScenario, type ScenarioRun } from '../run-scenario';
import type { StageConfig } from '../stage-config';
import { compare, type Comparison } from './compare';
import { HistoryError, loadHistory } from './history';
import { historyToScenario } from './history-to-scenario';
import { renderComparison } from './render-comparison';

export type BacktestOutput = {
  json: boolean;
  print: (text: string) => void;
  error: (text: string) => void;
  /** Also draw it: the comparison above the replay's timeline, one self-contained HTML file (simulator/html). */
  html?: string;
};

/** Replays an export-history document with the guard's real handlers and the stage's configuration. */
export async function backtest(
  file: string,
  stage: StageConfig,
): Promise<{ comparison: Comparison; title: string; run: ScenarioRun }> {
  const history = loadHistory(file);
  const plan = historyToScenario(history, stage);
  const run = await runScenario(plan.scenario);
  const title =
    `Backtest of ${stage.origin} over ${history.pipelines.map((p) => p.name).join(', ')}, ` +
    `${history.from.slice(0, 16).replace('T', ' ')} … ${history.to.slice(0, 16).replace('T', ' ')} UTC`;
  return { comparison: compare(plan, run), title, run };
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
  const text = renderComparison(result.comparison, result.title);
  out.print(out.json ? JSON.stringify(result.comparison) : text);
  if (out.html) {
    writeFileSync(out.html, renderHtml([result.run], { comparison: text }));
    out.print(`wrote ${out.html}`);
  }
  return 0;
}
