/**
 * The one Slack Web API method the guard calls: `usergroups.users.list` (scope `usergroups:read`), with the bot
 * token from SSM. Members are cached per group for `maxAgeMs`; a failure is thrown (the caller fails closed) and
 * never carries the token.
 */
export type TokenSource = { read(): Promise<string> };

export class SlackApiError extends Error {
  override name = 'SlackApiError';
}

export function makeUserGroups(options: {
  token: TokenSource;
  fetch?: typeof fetch;
  /** https://slack.com/api/ in production; a local server in tests. */
  baseUrl?: string;
  maxAgeMs: number;
  timeoutMs?: number;
  now: () => number;
}) {
  const cache = new Map<string, { members: ReadonlySet<string>; until: number }>();
  const http = options.fetch ?? fetch;
  const base = options.baseUrl ?? 'https://slack.com/api/';
  return async function members(userGroup: string): Promise<ReadonlySet<string>> {
    const hit = cache.get(userGroup);
    if (hit && options.now() < hit.until) return hit.members;
    const token = await options.token.read();
    let response: Response;
    try {
      response = await http(`${base}usergroups.users.list?usergroup=${encodeURIComponent(userGroup)}`, {
        headers: { authorization: `Bearer ${token}` },
        ...(options.timeoutMs === 0 ? {} : { signal: AbortSignal.timeout(options.timeoutMs ?? 1_500) }),
      });
    } catch (error) {
      throw new SlackApiError(`usergroups.users.list: no answer (${(error as Error).name})`);
    }
    const body = (await response.json().catch(() => undefined)) as
      { ok?: boolean; error?: string; users?: unknown } | undefined;
    if (!response.ok || body?.ok !== true || !Array.isArray(body.users)) {
      throw new SlackApiError(
        `usergroups.users.list: ${response.status} ${body?.error ?? 'unexpected answer'}`,
      );
    }
    const users = new Set(body.users.filter((u): u is string => typeof u === 'string'));
    cache.set(userGroup, { members: users, until: options.now() + options.maxAgeMs });
    return users;
  };
}
