import * as z from '../../lib/zod';
import type { GuardConfig } from '../../config/schema';
import { holdTimerFired } from '../../events/guard/hold-timer-fired';
import { slackCommandRequested } from '../../events/guard/slack-command-requested';
import { authorizeCommand } from '../../lib/command/authorize';
import { parseCommandBody } from '../../lib/command/command-schema';
import { parseCommandRequest } from '../../lib/command/request';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { callOf } from '../../lib/act/calls';
import { describeError } from '../../lib/errors';
import {
  holdTimeUp,
  runCommand,
  type CommandAnswer,
  type CommandDeps,
  type CommandRequest,
} from './run-command';
import { fromSlack, type FromSlackDeps } from './from-slack';

export type CommandHandlerDeps = CommandDeps & {
  config: GuardConfig;
  logger: GuardLogger;
  /** Slack controls (config `slack`): commands the Slack endpoint verified and put on the bus. */
  slack?: Pick<FromSlackDeps, 'claims' | 'respond'>;
};

type FunctionUrlResult = { statusCode: number; headers: Record<string, string>; body: string };

/** A function URL request (payload 2.0), told apart from the hold timers' EventBridge events. */
function isFunctionUrlEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'requestContext' in event && 'rawPath' in event;
}

const isSlackCommand = (event: unknown) =>
  typeof event === 'object' &&
  event !== null &&
  (event as Record<string, unknown>)['detail-type'] === slackCommandRequested.detailType;

const answer = (a: CommandAnswer): FunctionUrlResult => {
  const { status, ...body } = a;
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
};

/**
 * A person's command over the function URL (the CLI, bin/release-guard, signs it with the person's AWS
 * credentials), a command given in Slack (SlackCommandRequested, from-slack.ts), and the timers of holds with
 * `until` (HoldTimerFired on the guard's bus). The identity comes only
 * from IAM (lib/command/request.ts); who may run what is config `people` (lib/command/authorize.ts). Malformed or
 * unauthorised requests change nothing and are logged as such (counted by the invalid-events metric filter).
 */
export function makeHandler(deps: CommandHandlerDeps) {
  const timers = reaction(
    'command',
    z.lazy(() => holdTimerFired.event),
    deps.logger,
    async (event) => {
      await holdTimeUp(deps, event.detail, { reaction: 'command', eventId: event.id });
    },
  );
  const slack = reaction(
    'command',
    z.lazy(() => slackCommandRequested.event),
    deps.logger,
    async (event) => {
      if (!deps.slack) {
        deps.logger.warn('A Slack command, but Slack controls are not configured', { invalidEvent: true });
        return;
      }
      await fromSlack({ ...deps, ...deps.slack }, event);
    },
  );
  return async (event: unknown, context: unknown): Promise<FunctionUrlResult | void> => {
    if (isSlackCommand(event)) return slack(event as never, context as never);
    if (!isFunctionUrlEvent(event)) return timers(event as never, context as never);
    return answer(await command(deps, event));
  };
}

async function command(deps: CommandHandlerDeps, event: unknown): Promise<CommandAnswer> {
  const refuse = (status: number, message: string): CommandAnswer => {
    deps.logger.warn('Command refused', { invalidEvent: true, status, message });
    return { status, ok: false, message };
  };
  const request = parseCommandRequest(event);
  if (!request.ok) return refuse(request.error.status, request.error.message);
  const { caller, body } = request.request;
  const parsed = parseCommandBody(body, deps.now());
  if (!parsed.ok) return refuse(400, `malformed command: ${parsed.message}`);
  const allowed = authorizeCommand(deps.config.people, caller, parsed.command.command);
  if (!allowed.allowed) return refuse(403, `${allowed.reason} (config people)`);
  const c = parsed.command;
  deps.logger.info('Command', { caller: caller.arn, command: c.command, rule: allowed.rule });
  const requestId = (event as { requestContext?: { requestId?: string } }).requestContext?.requestId;
  try {
    return await runCommand(deps, caller, c as CommandRequest, {
      reaction: 'command',
      eventId: requestId ?? `${caller.arn} ${c.command}`,
      final: true,
    });
  } catch (error) {
    // A function URL call is not retried by Lambda: say plainly what is known. A write that may have taken effect
    // is in the decision journal, and the reconciler's sweep announces it within ~15 minutes (docs/design.md).
    const root = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const call = callOf(root) ?? callOf(error);
    deps.logger.error('Command not confirmed', { command: c.command, call, error: describeError(root) });
    if (c.command === 'status' || c.command === 'history') {
      return {
        status: 503,
        ok: false,
        message: `${c.command} could not be read: ${call ?? 'an AWS call'} failed (${describeError(root).message}); try again`,
      };
    }
    return {
      status: 503,
      ok: false,
      message:
        `${c.command} not confirmed: ${call ?? 'an AWS call'} failed (${describeError(root).message}). ` +
        `It may have taken effect: \`release-guard status\` shows what stands, and the guard reports the outcome within ` +
        `about 15 minutes. Running the same command again is safe.`,
    };
  }
}
