import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SHIM = require.resolve('../../lib/stream-web-on-demand.cjs');

describe('node:stream/web on demand (bundled in its place, serverless.yml esbuild.alias)', () => {
  it('exports every name of node:stream/web, each the real class', () => {
    const shim = require(SHIM) as Record<string, unknown>;
    const web = require('node:stream/web') as Record<string, unknown>;
    expect(Object.keys(shim).sort()).toEqual(Object.keys(web).sort());
    for (const [name, value] of Object.entries(web)) expect(shim[name], name).toBe(value);
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
