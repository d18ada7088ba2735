/**
 * Posts to an action's `response_url` (Slack gives one per action: 5 posts within 30 minutes). The URL is a
 * capability to write into the channel, so it is never logged and never part of an error message.
 */
export type SlackResponse = {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
};

export type Respond = (responseUrl: string, message: SlackResponse) => Promise<void>;

export class SlackResponseError extends Error {
  override name = 'SlackResponseError';
}

export function makeResponder(options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Respond {
  const http = options.fetch ?? fetch;
  return async (responseUrl, message) => {
    let response: Response;
    try {
      response = await http(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        // 0: no timer (the simulator's Slack answers in virtual time).
        ...(options.timeoutMs === 0 ? {} : { signal: AbortSignal.timeout(options.timeoutMs ?? 2_000) }),
      });
    } catch (error) {
      throw new SlackResponseError(`response_url: no answer (${(error as Error).name})`);
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 100);
      throw new SlackResponseError(`response_url: ${response.status} ${text}`);
    }
  };
}
