import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';

import setup, { MOTO_INSTALL } from '../setup/moto-server';

const saved = { PATH: process.env.PATH, MOTO_ENDPOINT: process.env.MOTO_ENDPOINT };
afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.MOTO_ENDPOINT === undefined) delete process.env.MOTO_ENDPOINT;
  else process.env.MOTO_ENDPOINT = saved.MOTO_ENDPOINT;
});

describe('the test setup on a machine without moto_server', () => {
  it('fails naming the tool and the one command that installs it', async () => {
    // Prepare: a PATH with nothing on it, no external moto
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-moto-'));
    delete process.env.MOTO_ENDPOINT;
    const project = { provide: () => undefined } as unknown as TestProject;

    // Act
    const failure = (await setup(project).catch((e: unknown) => e)) as Error;

    // Assess
    expect(failure.message).toContain('moto_server');
    expect(failure.message).toContain(MOTO_INSTALL);
    expect(failure.message).not.toContain('ENOENT');
  });
});
