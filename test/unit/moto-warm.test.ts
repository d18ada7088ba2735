import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';

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

/** A local TCP server that accepts connections and never says a word; `close` drops them and stops it. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${port}`, close };
}

let opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.map((close) => close()));
  opened = [];
});

describe('warming moto_server before the first test file', () => {
  it('the global setup warmed every service the tests use', () => {
    // Assess: what test/setup/moto-server.ts found, before any test file ran
    expect(inject('motoCold')).toEqual([]);
  });

  it('covers every AWS client package a test imports', () => {
    // Prepare
    const warmed = clientPackages('test/setup/moto-warm.ts');
    const used = new Set(testFiles('test').flatMap((file) => [...clientPackages(file)]));

    // Assess
    expect([...used].filter((name) => !warmed.has(name))).toEqual([]);
    expect(MOTO_SERVICES).toHaveLength(warmed.size);
  });

  it('names the services that do not answer instead of failing the run', async () => {
    // Prepare: a port that was free a moment ago, nothing listening on it now
    const { url, close } = await silentServer();
    await close();

    // Act
    const cold = await warmMoto(url);

    // Assess
    expect(cold.map((c) => c.service)).toEqual(MOTO_SERVICES.map(({ service }) => service));
    expect(cold[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a server that accepts connections and never answers, within its budget', async () => {
    // Prepare
    const { url, close } = await silentServer();
    opened.push(close);

    // Act: 0.2 s a read, 1 s in all
    const started = Date.now();
    const cold = await warmMoto(url, { readTimeoutMs: 200, budgetMs: 1_000 });

    // Assess: every service reported, the wait bounded by the budget (plus one read's time)
    expect(cold.map((c) => c.service)).toEqual(MOTO_SERVICES.map(({ service }) => service));
    expect(cold[0]?.error).toMatch(/abort|timeout/i);
    expect(cold.at(-1)?.error).toMatch(/not tried/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
