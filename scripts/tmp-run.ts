import { loadScenario } from '../simulator/scenario';
import { runScenario } from '../simulator/run-scenario';
import { readdirSync } from 'node:fs';

const only = process.argv[2];
for (const d of ['default', 'more']) {
  for (const f of readdirSync('simulator/scenarios/' + d)) {
    if (only && !f.includes(only)) continue;
    const run = await runScenario(loadScenario('simulator/scenarios/' + d + '/' + f));
    const unmet = run.results.filter((r) => !r.met);
    if (unmet.length) console.log(f, JSON.stringify(unmet.map((u) => [u.expectation, u.actual])).slice(0, 700));
    const notes = run.timeline
      .filter((t) => t.kind === 'world' && /warn|error/.test(t.summary))
      .map((t) => (t as { summary: string }).summary.slice(0, 400));
    if ((unmet.length || only) && notes.length) console.log('   notes:', notes.slice(0, 4).join('\n   '));
  }
}
