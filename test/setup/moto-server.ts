/**
 * vitest globalSetup: runs one moto_server (local AWS emulator) for the whole test run.
 *
 * - `MOTO_ENDPOINT` set: that server is used (and warmed) and nothing is started or stopped.
 * - otherwise: `moto_server -H 127.0.0.1 -p <free port>` is spawned, polled until it answers HTTP (20 s at most),
 *   warmed (one read per service the suite uses, test/setup/moto-warm.ts), and killed in teardown (SIGTERM,
 *   then SIGKILL after 5 s; teardown waits for the exit).
 * Tests read the endpoint with `inject('motoEndpoint')`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProject } from 'vitest/node';
import { warmMoto, type ColdService } from './moto-warm';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The services the global setup could not warm (test/setup/moto-warm.ts); empty when all answered. */
    motoCold: ColdService[];
    motoEndpoint: string;
  }
}

const HOST = '127.0.0.1';

/** The one command that installs moto's server on Debian 12 (whose system Python refuses plain `pip install`). */
export const MOTO_INSTALL = "pip install --break-system-packages 'moto[server]==5.2.1'";

/** `moto_server` is not on the PATH: say so and how to install it, instead of `spawn moto_server ENOENT`. */
export class MotoServerMissingError extends Error {
  override name = 'MotoServerMissingError';
  constructor(cause: unknown) {
    super(
      `moto_server (moto's local AWS emulator, needed by the contract and handler tests) is not on the PATH. ` +
        `Install it with: ${MOTO_INSTALL}  (or point MOTO_ENDPOINT at a running moto_server)`,
      { cause },
    );
  }
}

function isMissingCommand(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** Asks the OS for a free port by binding port 0, then releases it for moto_server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Kills the process group we created (moto_server is a pyenv shim that execs python; a group covers both). */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  signal(child, 'SIGTERM');
  if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
    signal(child, 'SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited early (code ${String(child.exitCode)}):\n${output()}`);
    }
    try {
      // Any HTTP answer (even an error status) means the server is up.
      await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await sleep(150);
    }
  }
  throw new Error(`moto_server did not answer on ${url} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** Warms moto's backends (a fresh external server is as cold as ours) and hands the endpoint to the tests. */
async function provideWarmed(project: TestProject, endpoint: string): Promise<void> {
  const cold = await warmMoto(endpoint);
  if (cold.length > 0)
    console.warn(
      `moto_server: no answer yet from ${cold.map((c) => `${c.service} (${c.error})`).join(', ')}; their first test call loads them`,
    );
  project.provide('motoCold', cold);
  project.provide('motoEndpoint', endpoint);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.MOTO_ENDPOINT;
  if (external) {
    const endpoint = external.replace(/\/+$/, '');
    await provideWarmed(project, endpoint);
    return undefined;
  }

  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const child = spawn('moto_server', ['-H', HOST, '-p', String(port)], {
    detached: true, // own process group, so teardown can stop the shim and python together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined); // only awaited during start-up; never leave it unhandled

  try {
    await Promise.race([waitUntilAnswering(url, child, () => output), spawnError]);
  } catch (error) {
    await stop(child);
    throw isMissingCommand(error) ? new MotoServerMissingError(error) : error;
  }

  await provideWarmed(project, url);
  return async () => {
    await stop(child);
  };
}
