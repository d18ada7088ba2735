import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

import { MOTO_SERVICES, warmMoto } from '../setup/moto-warm';

/** The `@aws-sdk/client-*` packages a file imports. */
function clientPackages(file: string): Set<string> {
  return new Set(readFileSync(file, 'utf8').match(/@aws-sdk\/client-[a-z-]+/g) ?? []);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('warming moto_server before the first test file', () => {
  it('loads every service the tests use, each answering', async () => {
    // Act: the global setup has warmed them already; a second pass must find each read answered. Mid-suite, with
    // the SDK's retries: a reset connection under load is not what this checks (CI, 2026-12-04: 'tagging' once).
    const cold = await warmMoto(inject('motoEndpoint'), { maxAttempts: 3 });

    // Assess
    expect(cold).toEqual([]);
    expect(MOTO_SERVICES).toHaveLength(clientPackages('test/setup/moto-warm.ts').size);
  });

  it('covers every AWS client package a test imports', () => {
    // Prepare
    const warmed = clientPackages('test/setup/moto-warm.ts');
    const used = new Set(testFiles('test').flatMap((file) => [...clientPackages(file)]));

    // Assess
    expect([...used].filter((name) => !warmed.has(name))).toEqual([]);
  });

  it('names the services that do not answer instead of failing the run', async () => {
    // Act: a port nothing listens on
    const cold = await warmMoto('http://127.0.0.1:9');

    // Assess
    expect(cold.map((c) => c.service)).toEqual(MOTO_SERVICES.map(({ service }) => service));
    expect(cold[0]?.error).toMatch(/ECONNREFUSED/);
  });
});
