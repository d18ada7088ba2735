import * as z from 'zod';
import type { GuardConfig } from '../../config/schema';
import { holdTimerFired } from '../../events/guard/hold-timer-fired';
import { reaction, type GuardLogger } from '../../lib/reaction';
import {
  holdTimeUp,
  runCommand,
  type Caller,
  type CommandAnswer,
  type CommandDeps,
  type CommandRequest,
} from './run-command';

export type CommandHandlerDeps = CommandDeps & {
  config: GuardConfig;
  logger: GuardLogger;
  /** Who may run which command (config `people`): the caller's IAM identity against the configured principals. */
  allowed: (caller: Caller, command: CommandRequest['command']) => boolean;
};

/** A Lambda function URL request (payload 2.0) with AWS_IAM auth: IAM put the signer's identity in the context. */
type FunctionUrlEvent = {
  requestContext: {
    http: { method: string };
    authorizer?: { iam?: { userArn?: string; accountId?: string } };
    requestId?: string;
  };
  body?: string;
  isBase64Encoded?: boolean;
};
type FunctionUrlResult = { statusCode: number; headers: Record<string, string>; body: string };

const MAX_BODY_BYTES = 8 * 1024;

const bounded = (max: number) => z.string().trim().min(1).max(max);
const requestSchema = z.discriminatedUnion('command', [
  z
    .object({
      command: z.literal('hold'),
      pipeline: bounded(100),
      reason: bounded(500),
      until: z.iso.datetime().optional(),
    })
    .strict(),
  z
    .object({ command: z.literal('release-hold'), pipeline: bounded(100), reason: bounded(500).optional() })
    .strict(),
  z.object({ command: z.literal('status'), pipeline: bounded(100).optional() }).strict(),
  z
    .object({
      command: z.literal('promote-now'),
      pipeline: bounded(100),
      reason: bounded(500),
      execution: z.uuid().optional(),
      despiteAlarm: z.boolean().optional(),
    })
    .strict(),
]);

function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  return (
    typeof event === 'object' &&
    event !== null &&
    'requestContext' in event &&
    typeof (event as FunctionUrlEvent).requestContext?.http?.method === 'string'
  );
}

const answer = (a: CommandAnswer): FunctionUrlResult => {
  const { status, ...body } = a;
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
};

/**
 * A person's command over the function URL (the CLI signs it with the person's AWS credentials), and the timers
 * of holds with `until` (HoldTimerFired on the guard's bus). Malformed or unauthorised requests change nothing and
 * are logged as such (counted by the invalid-events metric filter).
 */
export function makeHandler(deps: CommandHandlerDeps) {
  const timers = reaction('command', holdTimerFired.event, deps.logger, async (event) => {
    await holdTimeUp(deps, event.detail, { reaction: 'command', eventId: event.id });
  });
  return async (event: unknown, context: unknown): Promise<FunctionUrlResult | void> => {
    if (!isFunctionUrlEvent(event)) return timers(event as never, context as never);
    return answer(await command(deps, event));
  };
}

async function command(deps: CommandHandlerDeps, event: FunctionUrlEvent): Promise<CommandAnswer> {
  const refuse = (status: number, message: string): CommandAnswer => {
    deps.logger.warn('Command refused', { invalidEvent: true, status, message });
    return { status, ok: false, message };
  };
  const iam = event.requestContext.authorizer?.iam;
  // Only IAM says who signed: a function URL with AWS_IAM auth never passes an unsigned request.
  if (!iam?.userArn) return refuse(403, 'the request carries no IAM identity: sign it (npx release-guard …)');
  const caller: Caller = { arn: iam.userArn, accountId: iam.accountId };
  if (event.requestContext.http.method !== 'POST') return refuse(405, 'use POST');
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
    return refuse(413, `the request is over ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse(400, 'the request body is not JSON');
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return refuse(400, `malformed command: ${issues.join('; ')}`);
  }
  const request = parsed.data as CommandRequest;
  if (!deps.allowed(caller, request.command)) {
    return refuse(403, `${caller.arn} may not run ${request.command} (config people)`);
  }
  deps.logger.info('Command', { caller: caller.arn, command: request.command });
  return runCommand(deps, caller, request, {
    reaction: 'command',
    eventId: event.requestContext.requestId ?? `${caller.arn} ${request.command}`,
  });
}
