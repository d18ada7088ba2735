import { parseCommandBody } from '../../lib/command/command-schema';
import { HELP, parseCommandLine } from './parse-command-line';
import { signCommand, type Credentials } from './sign-command';

export type CliDeps = {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves the caller's AWS credentials; the real one is the SDK's node provider chain. */
  credentials: (profile: string | undefined) => Promise<Credentials>;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs?: number;
};

export const EXIT = { done: 0, refused: 1, usage: 2 } as const;
const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Runs one command line; returns the exit code. Nothing is sent unless the command line is complete and valid. */
export async function runReleaseGuard(argv: readonly string[], deps: CliDeps): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    deps.stdout(HELP);
    return EXIT.done;
  }
  if (line.kind === 'usage-error') return usage(deps, line.message);

  const target = resolveTarget(line.url ?? deps.env.RELEASE_GUARD_URL, line.region);
  if (typeof target === 'string') return usage(deps, target);
  const checked = parseCommandBody(line.body, deps.now());
  if (!checked.ok) return usage(deps, checked.message);

  let credentials: Credentials;
  try {
    credentials = await deps.credentials(line.profile);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return usage(deps, `no AWS credentials (${why}): sign in first, e.g. aws sso login, or set AWS_PROFILE`);
  }

  const signed = await signCommand({ ...target, body: JSON.stringify(checked.command), credentials });
  // fetch sets Host from the URL, which is what was signed
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
  let response: Response;
  try {
    response = await deps.fetch(signed.url, {
      method: 'POST',
      headers,
      body: signed.body,
      signal: AbortSignal.timeout(deps.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const why =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    deps.stderr(`release-guard: could not reach ${signed.url.origin}: ${why}`);
    return EXIT.refused;
  }
  return printAnswer(deps, response.status, await response.text(), line.json);
}

function resolveTarget(
  text: string | undefined,
  region: string | undefined,
): { url: URL; region: string } | string {
  if (text === undefined || text === '') return 'no guard URL: pass --url or set RELEASE_GUARD_URL';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a URL: ${text}`;
  }
  // A signed request is replayable for minutes: it goes over TLS, except to this machine (tests, tunnels).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return `the guard URL must be https: ${text}`;
  }
  const signingRegion = region ?? FUNCTION_URL_HOST.exec(url.hostname)?.[1];
  if (signingRegion === undefined) return `cannot tell the region from ${url.hostname}: pass --region`;
  return { url, region: signingRegion };
}

function printAnswer(deps: CliDeps, status: number, text: string, json: boolean): number {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    deps.stderr(`release-guard: HTTP ${status}, not a JSON answer: ${text.slice(0, 200)}`);
    return EXIT.refused;
  }
  const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  if (typeof fields.message !== 'string' || typeof fields.ok !== 'boolean') {
    // Lambda's own refusals (a bad signature, a missing lambda:InvokeFunctionUrl) come as {"Message": "..."}.
    const detail = typeof fields.Message === 'string' ? fields.Message : text.slice(0, 200);
    deps.stderr(
      `release-guard: HTTP ${status} from the function URL, not the guard: ${detail}${hint(status)}`,
    );
    return EXIT.refused;
  }
  const done = fields.ok && status >= 200 && status < 300;
  if (json) deps.stdout(JSON.stringify(answer, null, 2));
  else if (done) deps.stdout(fields.message);
  else deps.stderr(`release-guard: refused (HTTP ${status}): ${fields.message}`);
  return done ? EXIT.done : EXIT.refused;
}

function hint(status: number): string {
  return status === 403
    ? ' (check your credentials, and that you have lambda:InvokeFunctionUrl and lambda:InvokeFunction)'
    : '';
}

function usage(deps: CliDeps, message: string): number {
  deps.stderr(`release-guard: ${message}\nRun release-guard --help for the commands.`);
  return EXIT.usage;
}
