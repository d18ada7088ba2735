import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SHIM = require.resolve('../../lib/stream-web-on-demand.cjs');

describe('node:stream/web on demand (bundled in its place, serverless.yml esbuild.alias)', () => {
  it('exports every name the bundled @middy/core imports from node:stream/web, each the real class', () => {
    const middy = readFileSync(require.resolve('@middy/core'), 'utf8');
    const imports = [...middy.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']node:stream\/web["']/g)].flatMap(
      (m) => m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!),
    );
    expect(imports).toEqual(['ReadableStream']);
    const shim = require(SHIM) as Record<string, unknown>;
    const web = require('node:stream/web') as Record<string, unknown>;
    for (const name of imports) expect(shim[name], name).toBe(web[name]);
  });

  it('does not load web streams until an export is read', () => {
    const loaded = (code: string) =>
      execFileSync(
        process.execPath,
        [
          '-e',
          `${code}; console.log(process.moduleLoadList.some((m) => m.includes('webstreams/readablestream')))`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(loaded(`require(${JSON.stringify(SHIM)})`)).toBe('false');
    expect(loaded(`require(${JSON.stringify(SHIM)}).ReadableStream`)).toBe('true');
  });
});
