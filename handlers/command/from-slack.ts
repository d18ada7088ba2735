import type { SlackCommandRequested } from '../../events/guard/slack-command-requested';
import type { SlackActionClaims } from '../../lib/aws/slack-marks';
import { parseCommandBody } from '../../lib/command/command-schema';
import { describeError } from '../../lib/errors';
import type { GuardLogger } from '../../lib/reaction';
import type { Respond, SlackResponse } from '../../lib/slack/response-url';
import { BUTTON_LABELS } from '../../lib/slack/buttons';
import { CONTROLS_BLOCK_ID, controlsAfter, controlsBlock } from '../notify/messages/controls';
import { esc } from '../notify/messages/notice';
import {
  runCommand,
  type Caller,
  type CommandAnswer,
  type CommandDeps,
  type CommandRequest,
} from './run-command';

export type FromSlackDeps = CommandDeps & {
  claims: Pick<SlackActionClaims, 'claim' | 'markDone' | 'release'>;
  respond: Respond;
  logger: GuardLogger;
};

/** How a Slack user is named in the guard's records and messages: name and id (ids are what Slack trusts). */
export const slackPerson = (o: { userName: string; userId: string }) => `${o.userName} (Slack ${o.userId})`;

/**
 * A command given in Slack, verified by the Slack endpoint (handlers/slack-controls): the same rules as a signed
 * CLI request (run-command.ts), with the Slack user as the person, once per Slack action (a double click and
 * Slack's retries share the action key), then the answer through the action's response_url: a button's message
 * is updated in place (what was done, by whom, the new buttons); a refusal goes to the presser alone.
 */
export async function fromSlack(
  deps: FromSlackDeps,
  event: { id: string; detail: SlackCommandRequested },
): Promise<void> {
  const d = event.detail;
  const who = { via: d.via, userId: d.origin.userId, command: d.body.command, actionKey: d.actionKey };
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  if ((await deps.claims.claim(d.actionKey, nowSeconds, event.id)) === 'duplicate') {
    deps.logger.info('Slack action already taken: a double click or a retry, not acted on again', who);
    return;
  }
  const parsed = parseCommandBody(d.body, deps.now());
  if (!parsed.ok) {
    deps.logger.warn('Slack command refused', { ...who, invalidEvent: true, message: parsed.message });
    await answer(
      deps,
      d,
      { status: 400, ok: false, message: `malformed command: ${parsed.message}` },
      event.id,
    );
    await deps.claims.markDone(d.actionKey);
    return;
  }
  const caller: Caller = { arn: slackPerson(d.origin), slack: d.origin };
  deps.logger.info('Slack command', { ...who, by: caller.arn });
  let result: CommandAnswer;
  try {
    // The decision's time is the press's, so a retry of this event is the same decision (its journal recognises
    // what the first attempt did) and never a second hold.
    const pressedAt = new Date(d.requestedAt);
    const at = Number.isNaN(pressedAt.getTime()) ? deps.now() : pressedAt;
    result = await runCommand({ ...deps, now: () => at }, caller, parsed.command as CommandRequest, {
      reaction: 'command',
      eventId: event.id,
    });
  } catch (error) {
    // Thrown before the decision was announced: Lambda retries the invocation, which may take the action again.
    await deps.claims.release(d.actionKey).catch(() => undefined);
    await answer(
      deps,
      d,
      {
        status: 503,
        ok: false,
        message: `not confirmed yet (${describeError(error).message}); the guard tries again and reports the outcome`,
      },
      event.id,
    );
    throw error;
  }
  await deps.claims.markDone(d.actionKey).catch((error: unknown) =>
    deps.logger.warn('Acted, but the Slack action is not marked done', {
      ...who,
      error: describeError(error),
    }),
  );
  await answer(deps, d, result, event.id);
}

/** The answer in Slack; a Slack that does not take it changes nothing that was done (the decision is announced). */
async function answer(deps: FromSlackDeps, d: SlackCommandRequested, result: CommandAnswer, nonce: string) {
  try {
    await deps.respond(d.responseUrl, slackAnswer(d, result, deps.now(), nonce));
  } catch (error) {
    deps.logger.warn('Could not answer in Slack', { userId: d.origin.userId, error: describeError(error) });
  }
}

export function slackAnswer(
  d: SlackCommandRequested,
  result: CommandAnswer,
  now: Date,
  nonce: string,
): SlackResponse {
  const command = String(d.body.command);
  const label = BUTTON_LABELS[command as keyof typeof BUTTON_LABELS] ?? command;
  const by = `<@${d.origin.userId}>`;
  const at = `${now.toISOString().slice(11, 16)} UTC`;
  const text = esc(result.message);
  // A refusal by a rule (409, 404, 400) is for the presser; a done or failed command is for the channel's message.
  if (d.via === 'slash' || (!result.ok && result.status < 500)) {
    const mark = result.ok ? (command === 'status' ? '' : ':white_check_mark: ') : ':no_entry: ';
    return {
      response_type: 'ephemeral',
      replace_original: false,
      text:
        command === 'status' && result.ok ? `*Release guard status*\n${text}` : `${mark}*${label}*: ${text}`,
    };
  }
  const original = (d.messageBlocks ?? []) as { block_id?: string }[];
  const kept = original.filter((b) => b.block_id !== CONTROLS_BLOCK_ID);
  const line = result.ok
    ? `:white_check_mark: *${label}* by ${by} at ${at}: ${text}`
    : `:x: *${label}* by ${by} at ${at} failed: ${text}`;
  const pipeline = typeof d.body.pipeline === 'string' ? d.body.pipeline : undefined;
  const buttons = result.ok
    ? controlsBlock(controlsAfter(command, pipeline), nonce)
    : original.find((b) => b.block_id === CONTROLS_BLOCK_ID);
  return {
    replace_original: true,
    text: `${label} by ${d.origin.userName}: ${result.ok ? 'done' : 'failed'}`,
    blocks: [
      ...kept,
      { type: 'section', text: { type: 'mrkdwn', text: line.slice(0, 3000) } },
      ...(buttons ? [buttons] : []),
    ],
  };
}
