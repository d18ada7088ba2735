/**
 * The reliability table of docs/reliability.md: every default scenario (or the files given), each AWS call of its
 * clean run failed once with each fault kind, and each (function, operation) failed on every call, classified by
 * invariant 5's oracle (and a fault never adds a restore or restart the clean run did not make). `npx tsx scripts/fault-table.ts [--writes] [scenario.yml …]`
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioToYaml, sweepFaults } from '../simulator/fault-sweep';
import { loadScenario } from '../simulator/scenario';
import {
  classify,
  invariant5Violations,
  repeatedWrites,
  type FaultOutcome,
} from '../test/property/invariant-5-oracle';

const args = process.argv.slice(2);
const writesOnly = args.includes('--writes');
const files = args.filter((a) => !a.startsWith('--'));
const dir = join(import.meta.dirname, '../simulator/scenarios/default');
const scenarios = files.length > 0 ? files : readdirSync(dir).map((f) => join(dir, f));

const OUTCOMES: FaultOutcome[] = ['recovered', 'announced failure', 'GuardFailed', 'dead letter', 'silent'];
const table = new Map<string, Record<FaultOutcome, number>>();
const examples: string[] = [];
let runs = 0;
const started = performance.now();

for (const file of scenarios) {
  const { runs: faulted } = await sweepFaults(loadScenario(file), {
    sites: writesOnly ? (s) => s.write : undefined,
  });
  for await (const r of faulted) {
    runs++;
    const violations = [...invariant5Violations(r.run, r.fault), ...repeatedWrites(r.run, r.fault)];
    const outcome = classify(r.run, violations);
    const row = table.get(r.site.caller) ?? Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
    row[outcome]++;
    table.set(r.site.caller, row as Record<FaultOutcome, number>);
    if (outcome === 'silent' && examples.length < 5) {
      examples.push(`# ${file}: ${r.label}\n# ${violations.join('\n# ')}\n${scenarioToYaml(r.scenario)}`);
    }
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(`${runs} faulted runs of ${scenarios.length} scenario(s) in ${seconds} s\n`);
console.log(`| faulted function | ${OUTCOMES.join(' | ')} |`);
console.log(`| --- | ${OUTCOMES.map(() => '---:').join(' | ')} |`);
const total = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<FaultOutcome, number>;
for (const [fn, row] of [...table.entries()].sort()) {
  console.log(`| ${fn} | ${OUTCOMES.map((o) => row[o]).join(' | ')} |`);
  for (const o of OUTCOMES) total[o] += row[o];
}
console.log(`| **all** | ${OUTCOMES.map((o) => `**${total[o]}**`).join(' | ')} |`);
for (const e of examples) console.log(`\n${e}`);
process.exitCode = total.silent > 0 ? 1 : 0;
