import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type FetchFunction,
} from '@slack/webhook';

/** Where the webhook URL comes from (SSM SecureString, cached); `forget` after Slack refuses the URL itself. */
export type WebhookUrlSource = { read(): Promise<string>; forget(): void };

/** A Block Kit message: `text` is the notification fallback. */
export type SlackPayload = { text: string; blocks: object[] };

export type SlackPosterOptions = {
  url: WebhookUrlSource;
  sleep: (ms: number) => Promise<void>;
  /** The HTTP client under @slack/webhook: the platform's fetch, or the simulator's fake Slack. */
  fetch?: FetchFunction;
  /** Requests per message, the first included. */
  attempts?: number;
  /** Wait before the second attempt after a 5xx or a network error; doubled for each further one. */
  backoffMs?: number;
  /** The longest Retry-After honoured inside one invocation; a longer one is left to the Lambda retry. */
  maxWaitMs?: number;
  timeoutMs?: number;
};

/** The message did not reach Slack. Its text never contains the webhook URL (it ends up in logs and the DLQ). */
export class SlackDeliveryError extends Error {
  override name = 'SlackDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

type Failure = { retry: boolean; waitMs?: number; what: string; status?: number };

/**
 * Posts through the official client (@slack/webhook, its own retries off) and retries here, because only here
 * is Slack's Retry-After visible: the client's error keeps the status and body, not the headers.
 */
export function makeSlackPoster(options: SlackPosterOptions) {
  const { attempts = 4, backoffMs = 1_000, maxWaitMs = 10_000, timeoutMs = 5_000 } = options;
  const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  let client: WebhookClient | undefined;
  const clientFor = (url: string) =>
    client?.url === url ? client : (client = webhookClient(url, fetchFn, timeoutMs));

  return {
    /** Resolves once Slack took the message; throws SlackDeliveryError when it would not, after bounded retries. */
    async post(message: SlackPayload): Promise<{ attempts: number }> {
      const c = clientFor(await options.url.read());
      for (let attempt = 1; ; attempt++) {
        let failure: Failure;
        try {
          await c.webhook.send(message as Parameters<IncomingWebhook['send']>[0]);
          return { attempts: attempt };
        } catch (error) {
          failure = classify(error, c.retryAfter);
        }
        if (failure.status === 403 || failure.status === 404 || failure.status === 410) options.url.forget();
        const wait = failure.waitMs ?? backoffMs * 2 ** (attempt - 1);
        if (!failure.retry || attempt >= attempts || wait > maxWaitMs) {
          const why =
            wait > maxWaitMs && failure.retry ? `, and asked to wait ${Math.ceil(wait / 1000)} s` : '';
          throw new SlackDeliveryError(
            `Slack did not take the message after ${attempt} attempt(s): ${failure.what}${why}`,
            failure.status,
          );
        }
        await options.sleep(wait);
      }
    },
  };
}

export type SlackPoster = ReturnType<typeof makeSlackPoster>;

type WebhookClient = { url: string; webhook: IncomingWebhook; retryAfter?: string };

/** The official client over a fetch that remembers the last response's Retry-After. */
function webhookClient(url: string, fetchFn: FetchFunction, timeoutMs: number): WebhookClient {
  const client: WebhookClient = { url, webhook: undefined as never };
  client.webhook = new IncomingWebhook(url, {
    timeout: timeoutMs,
    fetch: async (input, init) => {
      const response = await fetchFn(input, init);
      client.retryAfter = response.headers.get('retry-after') ?? undefined;
      return response;
    },
  });
  return client;
}

/**
 * The error codes Slack documents for incoming webhooks (api.slack.com/messaging/webhooks#handling_errors) and
 * its rate limit. A response body is kept only when it is exactly one of them: anything else (a proxy's or a
 * gateway's page that may echo the request path, and so the webhook secret) is reduced to its HTTP status.
 */
const SLACK_ERROR_CODES = new Set([
  'invalid_payload',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'no_text',
  'too_many_attachments',
  'user_not_found',
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
  'posting_to_general_channel_denied',
  'invalid_token',
  'no_service',
  'no_service_id',
  'no_team',
  'no_active_hooks',
  'team_disabled',
  'rate_limited',
  'internal_error',
  'service_unavailable',
]);

function slackErrorCode(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body.trim() : '';
  return SLACK_ERROR_CODES.has(text) ? text : undefined;
}

/** 429 and 5xx are Slack's "try again"; other 4xx (bad payload, revoked webhook) will not change by retrying now. */
function classify(error: unknown, retryAfter: string | undefined): Failure {
  if (error instanceof IncomingWebhookHTTPError) {
    const what = `HTTP ${error.statusCode} ${slackErrorCode(error.body) ?? ''}`.trim();
    if (error.statusCode === 429) {
      const seconds = Number(retryAfter);
      return {
        retry: true,
        what,
        status: 429,
        waitMs: Number.isFinite(seconds) ? seconds * 1000 : undefined,
      };
    }
    return { retry: error.statusCode >= 500, what, status: error.statusCode };
  }
  if (error instanceof IncomingWebhookRequestError) {
    // The cause may carry the address; only its code is kept.
    const code = (error.original as { cause?: { code?: string } }).cause?.code ?? error.original.name;
    return { retry: true, what: `no response (${code})` };
  }
  return { retry: false, what: error instanceof Error ? error.name : 'unknown error' };
}
