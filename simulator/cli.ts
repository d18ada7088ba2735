import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHtml } from './html/render-html';
import { renderJson, renderText } from './render';
import { runScenario } from './run-scenario';
import { loadScenario } from './scenario';

const DEFAULT_SET = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'default');

const usage = `Usage: npm run simulate -- [--json] [--reads] [--html out.html] [scenario.yml ...]
Runs each scenario through the real handlers against an in-memory AWS with a virtual clock.
With no file, runs the default set in simulator/scenarios/default ("a day of releases").
  --json   one JSON object per line (event, decision, aws-call, emitted, invocation, expectation)
  --reads  also print AWS read calls in the readable timeline
  --html F write one self-contained HTML picture of every scenario to F (prints only the summary)
Exits 1 when an expectation of a scenario is not met, 2 on a bad scenario file.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const json = argv.includes('--json');
  const reads = argv.includes('--reads');
  const htmlAt = argv.indexOf('--html');
  const html = htmlAt >= 0 ? argv[htmlAt + 1] : undefined;
  if (htmlAt >= 0 && (!html || html.startsWith('--'))) {
    console.error('--html needs a file name, e.g. --html out.html');
    return 2;
  }
  const files = argv.filter((a, i) => !a.startsWith('--') && (htmlAt < 0 || i !== htmlAt + 1));
  const runs = [];
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
