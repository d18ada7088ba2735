import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** What Lambda does with one function's asynchronous invocations, as deployed. */
export type FunctionSettings = {
  timeoutMs: number;
  /** Lambda's `MaximumRetryAttempts` for asynchronous invocations (0–2). */
  retryAttempts: number;
  /** Where a failed event goes after its last attempt (the function's on-failure destination), if anywhere. */
  onFailure: string | undefined;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** serverless.yml and infra/*.yml carry CloudFormation tags (`!GetAtt`) the simulator does not need. */
const read = (file: string): Record<string, unknown> =>
  parse(readFileSync(file, 'utf8'), { logLevel: 'silent' }) as Record<string, unknown>;

let provider: { timeout?: number } | undefined;
const cache = new Map<string, FunctionSettings>();

/**
 * A function's timeout, retries and on-failure destination, read once from its deployed definition
 * (`infra/<kebab-name>.yml` `function.<name>`, else serverless.yml `provider`), so the simulator cannot drift
 * from what `sls deploy` configures. Lambda's defaults apply where neither says.
 */
export function functionSettings(name: string): FunctionSettings {
  const known = cache.get(name);
  if (known) return known;
  provider ??= (read(join(root, 'serverless.yml')).provider ?? {}) as { timeout?: number };
  const file = join(root, 'infra', `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.yml`);
  const fn = (
    existsSync(file) ? ((read(file).function as Record<string, unknown> | undefined)?.[name] ?? {}) : {}
  ) as {
    timeout?: number;
    maximumRetryAttempts?: number;
    destinations?: { onFailure?: { type?: string } | string };
  };
  const onFailure = fn.destinations?.onFailure;
  const settings = {
    timeoutMs: (fn.timeout ?? provider.timeout ?? 3) * 1000,
    retryAttempts: fn.maximumRetryAttempts ?? 2,
    onFailure: typeof onFailure === 'string' ? onFailure : onFailure?.type,
  };
  cache.set(name, settings);
  return settings;
}
