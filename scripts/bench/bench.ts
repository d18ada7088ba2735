/**
 * `npm run bench` (a script, not a timed test): bundle sizes and what dominates them, cold import against the
 * SDK-clients-only floor, decision and handler latency, AWS calls per reaction (default and scale scenarios).
 * Figures are for comparing within one run on one machine (docs/performance.md records them with the machine).
 *
 *   BENCH_ROUNDS=11        fresh-process imports per bundle and per baseline (interleaved; medians)
 *   BENCH_ITERATIONS=20000 iterations of the in-process latency measurements
 *   BENCH_HANDLER_ITERATIONS=2000  invocations of each whole handler over the real SDK clients (handlers-sdk.ts)
 *   BENCH_SKIP=cold,layers,latency,handlers,scale  parts to leave out
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildBundles } from './bundles';
import { coldImports } from './cold';
import { handlerLatencies } from './handlers-sdk';
import { layerImports } from './layers';
import { defaultScenarioCalls, scaleCalls, type CallFigures } from './scale';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const ZIP_LIMIT_KIB = 120;
const COLD_RATIO_BUDGET = 1.3;

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** The Lambdas' environment for the example stage, as `sls invoke local` would set it (no AWS is reached). */
function lambdaEnvironment(): NodeJS.ProcessEnv {
  const require = createRequire(import.meta.url);
  const vars = require(join(ROOT, 'config/serverless-vars.cjs')) as {
    guardVars: (stage: string, opts: object) => { environment: Record<string, unknown> };
  };
  const env = vars.guardVars('example', {
    local: { region: 'eu-west-1', account: '111122223333' },
  }).environment;
  const strings = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return {
    PATH: process.env.PATH,
    ...strings,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_DEV: 'false',
  };
}

function printCalls(title: string, rows: CallFigures[]): void {
  console.log(`\n## ${title}`);
  for (const r of rows) {
    console.log(`${r.scenario} (${r.wallMs.toFixed(0)} ms in the simulator)`);
    for (const f of r.functions) {
      console.log(
        `  ${pad(f.fn, 18)} ${pad(`${f.invocations}×`, 6)} at most ${f.mostCalls} calls in one (${f.mostReads} reads, ${f.mostWrites} writes), ${f.mostRoundTrips} round trips`,
      );
    }
  }
}

const out = mkdtempSync(join(tmpdir(), 'release-guard-bench-'));
try {
  console.log(
    `# release-guard bench: node ${process.version}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}`,
  );
  const bundles = await buildBundles(out);
  console.log('\n## Bundles (serverless.yml custom.esbuild settings; zip as `zip` writes it)');
  console.log(
    `${pad('function', 18)}${pad('zip KiB', 10)}${pad('raw KiB', 10)}largest parts (KiB in the bundle)`,
  );
  for (const b of bundles) {
    const over = b.zipBytes > ZIP_LIMIT_KIB * 1024 ? ` > ${ZIP_LIMIT_KIB}` : '';
    console.log(
      `${pad(b.name, 18)}${pad(kib(b.zipBytes) + over, 14)}${pad(kib(b.rawBytes), 10)}` +
        b.top.map((t) => `${t.input} ${kib(t.bytes)}`).join(', '),
    );
  }

  if (!SKIP.has('cold')) {
    console.log(
      `\n## Cold import (${ROUNDS} fresh processes each, interleaved with the bundle of only its SDK clients; medians)`,
    );
    console.log(
      '(baseline: the clients imported; constructed: each also built with `new XClient({})`, as the function does)',
    );
    console.log(
      `${pad('function', 18)}${pad('import ms', 11)}${pad('baseline ms', 13)}${pad('ratio', 12)}` +
        `${pad('constructed ms', 16)}ratio (budget ${COLD_RATIO_BUDGET})`,
    );
    for (const c of coldImports(bundles, ROUNDS, lambdaEnvironment())) {
      const sdk = bundles
        .find((b) => b.name === c.name)!
        .sdkClients.map((s) => s.replace('@aws-sdk/client-', ''));
      console.log(
        `${pad(c.name, 18)}${pad(c.functionMs.toFixed(1), 11)}${pad(c.baselineMs.toFixed(1), 13)}` +
          `${pad(c.ratio.toFixed(2) + (c.ratio > COLD_RATIO_BUDGET ? ' over' : ''), 12)}` +
          `${pad(c.constructedMs.toFixed(1), 16)}${c.constructedRatio.toFixed(2)}` +
          `${c.constructedRatio > COLD_RATIO_BUDGET ? ' over' : ''}  [${sdk.join(', ') || 'no SDK client'}]`,
      );
    }
  }

  if (!SKIP.has('layers')) {
    console.log(
      `\n## What the stack adds to a cold import (${ROUNDS} fresh processes each, interleaved; medians; scripts/bench/layers.ts)`,
    );
    console.log(`${pad('bundle', 28)}${pad('import ms', 11)}over the floor ms`);
    for (const l of await layerImports(out, ROUNDS, lambdaEnvironment())) {
      console.log(`${pad(l.name, 28)}${pad(l.ms.toFixed(1), 11)}${l.overFloorMs.toFixed(1)}`);
    }
  }

  if (!SKIP.has('latency')) {
    console.log(`\n## Latency in-process (${ITERATIONS} iterations; scripts/bench-alarm-decision.ts)`);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/bench-alarm-decision.ts')],
      {
        env: { ...process.env, BENCH_ITERATIONS: String(ITERATIONS) },
        encoding: 'utf8',
      },
    );
    process.stdout.write(r.stdout || r.stderr);
  }

  if (!SKIP.has('handlers')) {
    // Whole handlers with the real SDK clients over an in-memory HTTP handler (scripts/bench/handlers-sdk.ts).
    const handlerIterations = Number(process.env.BENCH_HANDLER_ITERATIONS ?? 2_000);
    console.log(
      `\n## Whole handler, real SDK clients over an in-memory HTTP handler (${handlerIterations} iterations)`,
    );
    console.log(`${pad('handler', 32)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}AWS calls per invocation`);
    for (const h of await handlerLatencies(handlerIterations)) {
      const calls = Object.entries(h.callsPerInvocation).map(([call, n]) => `${call} ${n}`);
      console.log(
        `${pad(h.name, 32)}${pad(h.p50Ms.toFixed(2), 9)}${pad(h.p99Ms.toFixed(2), 9)}${calls.join(', ')}`,
      );
    }
  }

  if (!SKIP.has('scale')) {
    printCalls('AWS calls per reaction: the default scenarios', await defaultScenarioCalls());
    printCalls('AWS calls per reaction at scale', await scaleCalls());
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
