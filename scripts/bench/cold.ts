/**
 * Cold import of each bundle in a fresh Node process, interleaved with its baseline (the same SDK clients only),
 * so the machine's noise hits both alike: medians and their ratio.
 */
import { spawnSync } from 'node:child_process';
import type { Bundle } from './bundles';

const PROBE =
  'const t = process.hrtime.bigint(); require(process.argv[1]); ' +
  'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';

export function importMs(file: string, env: NodeJS.ProcessEnv): number {
  const r = spawnSync(process.execPath, ['-e', PROBE, file], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
  return Number(r.stdout);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export type ColdImport = {
  name: string;
  functionMs: number;
  baselineMs: number;
  ratio: number;
  /** The baseline with its clients constructed, and the function's ratio to it. */
  constructedMs: number;
  constructedRatio: number;
};

export function coldImports(bundles: Bundle[], rounds: number, env: NodeJS.ProcessEnv): ColdImport[] {
  const samples = new Map(
    bundles.map((b) => [b.name, { fn: [] as number[], base: [] as number[], built: [] as number[] }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const b of bundles) {
      const s = samples.get(b.name)!;
      // Alternate which goes first, so neither always meets a warmer file cache.
      if (round % 2 === 0) {
        s.fn.push(importMs(b.file, env));
        s.base.push(importMs(b.baseline.file, env));
        s.built.push(importMs(b.constructed.file, env));
      } else {
        s.built.push(importMs(b.constructed.file, env));
        s.base.push(importMs(b.baseline.file, env));
        s.fn.push(importMs(b.file, env));
      }
    }
  }
  return bundles.map((b) => {
    const s = samples.get(b.name)!;
    const functionMs = median(s.fn);
    const baselineMs = median(s.base);
    const constructedMs = median(s.built);
    return {
      name: b.name,
      functionMs,
      baselineMs,
      ratio: functionMs / baselineMs,
      constructedMs,
      constructedRatio: functionMs / constructedMs,
    };
  });
}
