import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runReleaseGuard, type CliDeps } from '../../bin/cli/run-release-guard';
import { recomputeAuthorization, sha256Hex, startGuardServer } from './signed-request-server';

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLECLITEST01',
  secretAccessKey: 'cli-test-secret-0123456789abcdefghijklmn',
  sessionToken: 'cli-test-session-token',
};
const REGION = 'eu-central-1';
const NOW = new Date('2026-12-01T10:00:00Z');
const HOLD = ['hold', 'leadout', '--reason', 'odd 5xx in Dev', '--until', '2026-12-04T16:00:00Z'];

let server: Awaited<ReturnType<typeof startGuardServer>>;
beforeAll(async () => {
  server = await startGuardServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.answer({ status: 200, body: JSON.stringify({ ok: true, message: 'leadout held until 16:00' }) });
});

function deps(overrides: Partial<CliDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const all: CliDeps = {
    env: {},
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    credentials: async () => CREDENTIALS,
    fetch,
    now: () => NOW,
    ...overrides,
  };
  return { deps: all, out, err };
}

const toServer = () => ['--url', server.url, '--region', REGION];

describe('release-guard sends a signed command', () => {
  it('posts the body signed with SigV4 for lambda that recomputes from what arrived', async () => {
    // Prepare
    const { deps: cli, out } = deps();

    // Act
    const code = await runReleaseGuard([...HOLD, ...toServer()], cli);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual(['leadout held until 16:00']);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    if (request === undefined) throw new Error('no request');
    expect(request.method).toBe('POST');
    expect(JSON.parse(request.body)).toEqual({
      command: 'hold',
      pipeline: 'leadout',
      reason: 'odd 5xx in Dev',
      until: '2026-12-04T16:00:00Z',
    });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-amz-content-sha256']).toBe(sha256Hex(request.body));
    expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLECLITEST01\/\d{8}\/eu-central-1\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers.authorization).toBe(
      await recomputeAuthorization(request, { credentials: CREDENTIALS, region: REGION, port: server.port }),
    );
  });

  it('takes the URL from RELEASE_GUARD_URL and prints the whole answer with --json', async () => {
    const answer = { ok: true, message: 'status', holds: [{ pipeline: 'leadout', by: 'dana' }] };
    server.answer({ status: 200, body: JSON.stringify(answer) });
    const { deps: cli, out } = deps({ env: { RELEASE_GUARD_URL: server.url } });

    const code = await runReleaseGuard(['status', '--region', REGION, '--json'], cli);

    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual(answer);
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({ command: 'status' });
  });

  it('sends history with its pipeline, --since resolved to a time by the guard schema (30d: 30 days before now)', async () => {
    const { deps: cli } = deps();

    const code = await runReleaseGuard(['history', 'leadout', '--since', '30d', ...toServer()], cli);

    expect(code).toBe(0);
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({
      command: 'history',
      pipeline: 'leadout',
      since: '2026-11-01T10:00:00.000Z',
    });
  });

  it('reads the signing region from the function URL host', async () => {
    const sent: Request[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      sent.push(new Request(url, init));
      return new Response(JSON.stringify({ ok: true, message: 'ok' }), { status: 200 });
    }) as typeof fetch;
    const { deps: cli } = deps({ fetch: fakeFetch });

    const code = await runReleaseGuard(
      ['status', '--url', 'https://q7w3ertyu5iop2asdfgh4jklzx6cvbnm.lambda-url.eu-west-1.on.aws/'],
      cli,
    );

    expect(code).toBe(0);
    expect(sent[0]?.headers.get('authorization')).toContain('/eu-west-1/lambda/aws4_request');
  });
});

describe('release-guard prints what the guard refused', () => {
  it.each([
    [403, { ok: false, message: 'arn:aws:sts::111111111111:assumed-role/Reader/sam may not run hold' }],
    [409, { ok: false, message: 'refused: dev alarm api-5xx is in ALARM; add --despite-alarm' }],
    [200, { ok: false, message: 'nothing changed: leadout is not held' }],
  ])('HTTP %i: the message on stderr, exit 1', async (status, answer) => {
    server.answer({ status, body: JSON.stringify(answer) });
    const { deps: cli, out, err } = deps();

    const code = await runReleaseGuard([...HOLD, ...toServer()], cli);

    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([`release-guard: refused (HTTP ${status}): ${answer.message}`]);
  });

  it("Lambda's own 403 (bad signature, no permission) says where it came from", async () => {
    server.answer({ status: 403, body: JSON.stringify({ Message: 'Forbidden' }) });
    const { deps: cli, err } = deps();

    expect(await runReleaseGuard([...HOLD, ...toServer()], cli)).toBe(1);
    expect(err[0]).toContain('HTTP 403 from the function URL, not the guard: Forbidden');
    expect(err[0]).toContain('lambda:InvokeFunctionUrl');
  });

  it('a non-JSON answer', async () => {
    server.answer({ status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
    const { deps: cli, err } = deps();

    expect(await runReleaseGuard([...HOLD, ...toServer()], cli)).toBe(1);
    expect(err).toEqual(['release-guard: HTTP 502, not a JSON answer: <html>Bad Gateway</html>']);
  });

  it('a guard that cannot be reached', async () => {
    const gone = await startGuardServer();
    await gone.close();
    const { deps: cli, err } = deps();

    expect(await runReleaseGuard([...HOLD, '--url', gone.url, '--region', REGION], cli)).toBe(1);
    expect(err[0]).toMatch(/^release-guard: could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});

describe('release-guard usage errors send nothing (exit 2)', () => {
  it.each([
    ['no command', [], 'no command given'],
    ['an unknown command', ['nuke', 'leadout'], 'unknown command nuke'],
    ['an unknown option', ['status', '--by', 'dana'], "Unknown option '--by'"],
    ['an extra argument', ['status', 'leadout', 'more'], 'unexpected argument more'],
    ['hold without a reason', ['hold', 'leadout'], 'reason: required for hold'],
    ['hold without a pipeline', ['hold', '--reason', 'x'], 'pipeline: required for hold'],
    [
      'until in the past',
      ['hold', 'leadout', '--reason', 'x', '--until', '2026-11-30T00:00:00Z'],
      'until: must be in the future',
    ],
    [
      'until too far',
      ['hold', 'leadout', '--reason', 'x', '--until', '2027-01-01T00:00:00Z'],
      'until: must be at most 14 days',
    ],
    ['history without a pipeline', ['history', '--since', '30d'], 'pipeline: required for history'],
    [
      'history since the future',
      ['history', 'leadout', '--since', '2027-01-01'],
      'since: must not be in the future',
    ],
    [
      'despite-alarm on hold',
      ['hold', 'leadout', '--reason', 'x', '--despite-alarm'],
      'despiteAlarm: not a field of hold',
    ],
  ])('%s', async (_name, argv, message) => {
    const { deps: cli, err } = deps();

    expect(await runReleaseGuard([...argv, ...toServer()], cli)).toBe(2);
    expect(err.join('\n')).toContain(message);
    expect(server.received).toEqual([]);
  });

  it.each([
    ['no URL', ['status'], 'no guard URL: pass --url or set RELEASE_GUARD_URL'],
    ['plain http to another host', ['status', '--url', 'http://guard.example.com/'], 'must be https'],
    ['a host that names no region', ['status', '--url', 'https://guard.example.com/'], 'pass --region'],
  ])('%s', async (_name, argv, message) => {
    const { deps: cli, err } = deps();

    expect(await runReleaseGuard(argv, cli)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('no credentials', async () => {
    const { deps: cli, err } = deps({
      credentials: async () => {
        throw new Error('Could not load credentials from any providers');
      },
    });

    expect(await runReleaseGuard([...HOLD, ...toServer()], cli)).toBe(2);
    expect(err.join('\n')).toContain('no AWS credentials (Could not load credentials from any providers)');
    expect(server.received).toEqual([]);
  });

  it('--help lists the commands', async () => {
    const { deps: cli, out } = deps();

    expect(await runReleaseGuard(['--help'], cli)).toBe(0);
    for (const command of [
      'hold',
      'release-hold',
      'promote-now',
      'lift-block',
      'rollback-now',
      'status',
      'history',
    ]) {
      expect(out.join('\n')).toContain(`  ${command} `);
    }
  });
});

describe('the installed bin', () => {
  const shim = fileURLToPath(new URL('../../bin/release-guard.js', import.meta.url));

  function run(argv: string[], env: Record<string, string>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [shim, ...argv], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('signs with the credentials of the SDK provider chain (here: the environment)', async () => {
    const result = await run([...HOLD.slice(0, 4), ...toServer()], {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    });

    expect(result).toMatchObject({ code: 0, stdout: 'leadout held until 16:00\n' });
    const [request] = server.received;
    if (request === undefined) throw new Error('no request');
    expect(request.headers.authorization).toBe(
      await recomputeAuthorization(request, { credentials: CREDENTIALS, region: REGION, port: server.port }),
    );
  });

  it('says so when the chain finds no credentials', async () => {
    const result = await run(['status', ...toServer()], {});

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no AWS credentials');
    expect(server.received).toEqual([]);
  });
});
