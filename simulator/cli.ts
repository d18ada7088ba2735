import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderHtml } from './html/render-html';
import { renderJson, renderText } from './render';
import { runScenario } from './run-scenario';
import { loadScenario } from './scenario';
import { runBacktest } from './backtest/run-backtest';
import { loadConfig, loadStage, type StageConfig } from './stage-config';
import { fitScenarioToStage } from './stage-fit';

const DEFAULT_SET = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'default');

const usage = `Usage: npm run simulate -- [--json] [--reads] [--html out.html] [--stage <stage> | --config <file>] [scenario.yml ...]
       npm run simulate -- --stage <stage> --history history.json
Runs each scenario through the real handlers against an in-memory AWS with a virtual clock.
With no file, runs the default set in simulator/scenarios/default ("a day of releases").
  --json              one JSON object per line (event, decision, aws-call, emitted, invocation, expectation)
  --reads             also print AWS read calls in the readable timeline
  --html <file>       write one self-contained HTML picture of every scenario there (prints only the summary)
  --stage <stage>     base configuration config/stages/<stage>.yml, validated as sls package does
  --config <file>     base configuration from that file (a scenario's config: still overrides)
  --history <file>    replay an export-history document with that configuration (docs/backtest.md)
Exits 1 when an expectation of a scenario is not met, 2 on a bad scenario file.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const { values, positionals: files } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      config: { type: 'string' },
      history: { type: 'string' },
      html: { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
  });
  const json = values.json === true;
  const reads = values.reads === true;
  const html = typeof values.html === 'string' ? values.html : undefined;
  if (values.html === true) {
    console.error('--html needs a file name, e.g. --html out.html');
    return 2;
  }
  const runs = [];
  let stage: StageConfig | undefined;
  try {
    if (typeof values.stage === 'string') stage = loadStage(values.stage);
    else if (typeof values.config === 'string') stage = loadConfig(values.config);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  if (typeof values.history === 'string') {
    if (!stage) {
      console.error('--history needs --stage <stage> or --config <file>: the configuration to backtest');
      return 2;
    }
    return runBacktest(values.history, stage, {
      json,
      html,
      print: (text) => console.log(text),
      error: (text) => console.error(text),
    });
  }
  const paths = files.length
    ? files
    : readdirSync(DEFAULT_SET)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => join(DEFAULT_SET, f));
  let unmet = 0;
  for (const path of paths) {
    let scenario;
    try {
      scenario = loadScenario(path);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      return 2;
    }
    if (stage) {
      const fitted = fitScenarioToStage(scenario, stage);
      scenario = fitted.scenario;
      if (!json) console.log(describeFit(scenario.name, stage, fitted.adapted));
    }
    const run = await runScenario(scenario);
    if (html) runs.push(run);
    else console.log(json ? renderJson(run) : `${renderText(run, { reads })}\n`);
    unmet += run.results.filter((r) => !r.met).length;
  }
  if (html) {
    writeFileSync(html, renderHtml(runs));
    console.log(`wrote ${html}`);
  }
  if (!json)
    console.log(
      unmet ? `${unmet} expectation(s) not met` : `${paths.length} scenario(s), every expectation met`,
    );
  return unmet ? 1 : 0;
}

function describeFit(name: string, stage: StageConfig, adapted: string[]): string {
  const lines = adapted.length ? adapted.map((a) => `  adapted: ${a}`) : ['  adapted: nothing'];
  return [`# ${name}: with ${stage.origin}`, ...lines].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
