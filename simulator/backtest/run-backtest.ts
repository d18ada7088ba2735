import type { StageConfig } from '../stage-config';

export type BacktestOutput = { json: boolean; print: (text: string) => void };

/** `simulate --history`: not built yet in this commit. */
export function runBacktest(_file: string, _stage: StageConfig, out: BacktestOutput): Promise<number> {
  out.print('--history: not built yet');
  return Promise.resolve(2);
}
