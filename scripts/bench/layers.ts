/**
 * What each piece of the stack every function carries adds to a cold import: a floor bundle (one DynamoDB client,
 * constructed, as every function has), the floor plus one piece, and the smallest whole function (metrics, whose
 * only client is DynamoDB's), each `require`d in fresh processes, interleaved; medians, and each one's difference to
 * the floor.
 */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { ESBUILD } from './bundles';
import { importMs, median } from './cold';

const ROOT = resolve(import.meta.dirname, '../..');

const FLOOR = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const d = new DynamoDBClient({});\n`;

/** Each layer's source; the names are how the bench prints them. */
const LAYERS: Record<string, string> = {
  'floor (DynamoDB client)': FLOOR,
  '+ @middy/core': `${FLOOR}import middy from '@middy/core';\nexport const m = middy(async () => 1);\n`,
  '+ Powertools logger': `${FLOOR}import { logger } from './lib/logger';\nexport const l = logger;\n`,
  '+ runtime configuration': `${FLOOR}import { runtimeFromProcessEnv } from './config/runtime';\nexport const r = runtimeFromProcessEnv();\n`,
  '+ zod/mini, one schema': `${FLOOR}import { object, string } from './lib/zod';\nexport const s = object({ a: string() });\n`,
  'metrics function': `export { handler } from './handlers/metrics/handler';\n`,
};

export type Layer = { name: string; ms: number; overFloorMs: number };

export async function layerImports(outDir: string, rounds: number, env: NodeJS.ProcessEnv): Promise<Layer[]> {
  const files: [string, string][] = [];
  for (const [i, [name, contents]] of Object.entries(LAYERS).entries()) {
    const file = join(outDir, `layer-${i}.cjs`);
    await build({
      ...ESBUILD,
      metafile: false,
      stdin: { contents, resolveDir: ROOT, loader: 'ts' },
      outfile: file,
      absWorkingDir: ROOT,
    });
    files.push([name, file]);
  }
  const samples = new Map(files.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so no layer always meets a warmer file cache.
    for (const [name, file] of round % 2 === 0 ? files : [...files].reverse()) {
      samples.get(name)!.push(importMs(file, env));
    }
  }
  const floor = median(samples.get(files[0]![0])!);
  return files.map(([name]) => {
    const ms = median(samples.get(name)!);
    return { name, ms, overFloorMs: ms - floor };
  });
}
