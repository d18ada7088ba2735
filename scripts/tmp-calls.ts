import { loadScenario } from '../simulator/scenario';
import { runScenario } from '../simulator/run-scenario';
const run = await runScenario(loadScenario(process.argv[2]!));
const fn = process.argv[3];
for (const t of run.timeline as any[]) {
  if (t.kind === 'aws-call' && (!fn || t.caller === fn)) console.log(t.at, t.caller, t.service + '.' + t.operation, JSON.stringify(t.params).slice(0, 160), t.error ?? '');
  else if (t.kind !== 'aws-call' && (!fn || t.kind === 'world' || t.kind==='invocation')) console.log(t.at, t.kind, JSON.stringify(t).slice(0, 250));
}
