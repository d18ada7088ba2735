import * as z from '../../lib/zod';
import { slackCommandRequested } from '../../events/guard/slack-command-requested';
import type { GuardBus } from '../../lib/aws/guard-bus';
import { describeError } from '../../lib/errors';
import type { GuardLogger } from '../../lib/reaction';
import type { Respond } from '../../lib/slack/response-url';
import type { SlackAction } from '../../lib/slack/slack-request';
import { decideSlackRequest, type DecideDeps, type SlackRequestInput } from './decide-slack-request';

export type SlackControlsDeps = DecideDeps & {
  bus: Pick<GuardBus, 'emit'>;
  respond: Respond;
  logger: GuardLogger;
};

type FunctionUrlResult = { statusCode: number; headers: Record<string, string>; body: string };

const functionUrlEvent = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    requestContext: z.looseObject({ http: z.looseObject({ method: z.string() }) }),
    headers: z._default(z.record(z.string(), z.string()), {}),
    body: z.optional(z.string()),
    isBase64Encoded: z._default(z.boolean(), false),
  }),
);

const json = (statusCode: number, body: object): FunctionUrlResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const ephemeral = (text: string) => json(200, { response_type: 'ephemeral', replace_original: false, text });

/**
 * Slack's buttons and slash command, over a function URL with AuthType NONE (Slack cannot sign with IAM): only
 * requests Slack signed, once each, from the guard's workspace and channel and an allowed user, are put on the
 * guard's bus as SlackCommandRequested; the command function does the work and updates the message. Answers
 * within Slack's 3 s. Every refusal changes nothing and is logged as an invalid event (counted by the metric
 * filter); no log line holds the secret, a signature, the raw body or the response_url.
 */
export function makeHandler(deps: SlackControlsDeps) {
  return async (event: unknown): Promise<FunctionUrlResult> => {
    const request = functionUrlEvent.safeParse(event);
    if (!request.success) return reject(400, 'not a function URL request');
    const r = request.data;
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const input: SlackRequestInput = {
      method: r.requestContext.http.method,
      headers,
      body: r.body,
      isBase64Encoded: r.isBase64Encoded,
    };
    let decision;
    try {
      decision = await decideSlackRequest(deps, input);
    } catch (error) {
      // The secret, the replay mark or the bus could not be reached: nothing was handed over.
      deps.logger.error('Slack request not decided', { error: describeError(error) });
      return json(503, { text: 'The release guard could not check this request; try again.' });
    }
    if (decision.kind === 'reject') return reject(decision.status, decision.reason);
    if (decision.kind === 'retry') {
      deps.logger.info('Slack retried a request already accepted: not acted on again', {
        retryNum: decision.retryNum,
      });
      return json(200, {});
    }
    const who = decision.action && whoOf(decision.action);
    if (decision.kind === 'refuse') {
      deps.logger.warn('Slack request refused', {
        invalidEvent: true,
        status: 200,
        reason: decision.reason,
        ...who,
      });
      if (decision.action?.via === 'button') await tellButtonPresser(deps, decision.action, decision.reason);
      return ephemeral(`:no_entry: ${decision.reason}`);
    }
    const { action, command } = decision;
    try {
      await deps.bus.emit(slackCommandRequested, {
        via: action.via,
        origin: {
          teamId: action.teamId,
          channelId: action.channelId,
          userId: action.user.id,
          userName: action.user.name,
          ...(action.message ? { messageTs: action.message.ts } : {}),
        },
        body: action.body,
        actionKey: action.actionKey,
        responseUrl: action.responseUrl,
        ...(action.message ? { messageBlocks: action.message.blocks } : {}),
        requestedAt: deps.now().toISOString(),
      });
    } catch (error) {
      deps.logger.error('Slack command not handed over', { ...who, error: describeError(error) });
      return ephemeral(
        `:x: ${command.command} was not handed to the guard (${describeError(error).name}). Nothing changed; try again.`,
      );
    }
    deps.logger.info('Slack command handed to the guard', { ...who, command: command.command });
    const what = `${command.command}${command.pipeline ? ` ${command.pipeline}` : ''}`;
    return ephemeral(
      command.command === 'status'
        ? `Reading the status of ${command.pipeline ?? 'every pipeline'}…`
        : `Working on it: ${what}, by <@${action.user.id}>.`,
    );
  };

  function reject(status: number, reason: string): FunctionUrlResult {
    deps.logger.warn('Slack request rejected', { invalidEvent: true, status, reason });
    return json(status, { error: status === 401 ? 'invalid signature' : reason });
  }
}

const whoOf = (a: SlackAction) => ({
  via: a.via,
  teamId: a.teamId,
  channelId: a.channelId,
  userId: a.user.id,
  command: a.command,
});

/** A button's 200 body is not shown by Slack: a refusal reaches the presser as an ephemeral through response_url. */
async function tellButtonPresser(
  deps: SlackControlsDeps,
  action: SlackAction,
  reason: string,
): Promise<void> {
  try {
    await deps.respond(action.responseUrl, {
      response_type: 'ephemeral',
      replace_original: false,
      text: `:no_entry: ${reason}`,
    });
  } catch (error) {
    deps.logger.warn('Could not tell the presser', { ...whoOf(action), error: describeError(error) });
  }
}
