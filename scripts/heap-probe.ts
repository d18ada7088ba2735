/**
 * Heap probe: runs random release plans (the invariant 1 generator) back to back, as the property tests do,
 * and prints the live heap after a forced GC every 200 runs. A flat line means a run frees its world; a
 * line that climbs means something keeps every run reachable (once: a real-time abort timer per Slack post,
 * which never fired because a run of scenarios is all microtasks, and the property tests ran out of heap).
 *
 *   NODE_OPTIONS=--expose-gc npx tsx scripts/heap-probe.ts [runs]
 */
import fc from 'fast-check';
import { planArb, runPlan } from '../test/property/release-plans';
import { installWorldTap } from '../test/property/world-tap';

const runs = Number(process.argv[2] ?? 1_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with NODE_OPTIONS=--expose-gc');

installWorldTap();
let done = 0;
for (const plan of fc.sample(planArb, { numRuns: runs, seed: 1 })) {
  await runPlan(plan);
  if (++done % 200 === 0 || done === runs) {
    gc();
    process.stderr.write(`${done} runs: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB live heap\n`);
  }
}
