import * as z from '../../lib/zod';
import { COMMANDS } from '../../lib/command/command-schema';
import { decisionKeyField, guardContract, modeField } from './guard-event';
import { slackOrigin } from './slack-command-requested';

/** A hold on a pipeline's releases: who placed it, why, since and until when (absent: until released). */
export const holdFact = /* @__PURE__ */ z.lazy(() =>
  z.object({
    holdId: z.string().check(z.minLength(1)),
    by: z.string().check(z.minLength(1)),
    reason: z.string(),
    since: z.string(),
    until: z.optional(z.string()),
  }),
);
export type HoldFact = z.infer<typeof holdFact>;

/** The commands a person can send (lib/command/command-schema.ts), as the decisions announce them. */
export const personCommands = COMMANDS;

/**
 * A person's command, as the guard decided it (handlers/command): who (the IAM identity of the signed request,
 * never a field the caller fills in), what, why and until when; `expired` when a hold's own timer ended it.
 */
export const personCommand = /* @__PURE__ */ guardContract('PersonCommand', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    command: z.enum(personCommands),
    pipeline: z.string().check(z.minLength(1)),
    /** The caller's IAM ARN, or `release-guard (hold expired)` when a hold ended by itself. */
    by: z.string().check(z.minLength(1)),
    reason: z.optional(z.string()),
    until: z.optional(z.string()),
    /** requested: promote-now recorded, the gate decides it now; refused: the gate would not (why: summary). */
    outcome: z.enum(['done', 'expired', 'requested', 'refused']),
    /** promote-now: the execution the person asked to let through, and whether despite a firing Dev alarm. */
    executionId: z.optional(z.string()),
    despiteAlarm: z.optional(z.boolean()),
    /** The holds this command placed or ended. */
    holds: z._default(z.array(holdFact), []),
    /** Holds still standing afterwards (several can stand: the pipeline is held while any does). */
    standing: z._default(z.array(holdFact), []),
    /** The execution waiting at the gate that the guard looks at again now that nothing holds it. */
    waitingExecutionId: z.optional(z.string()),
    summary: z.string(),
    /** A command given in Slack: the Slack user (id and name), the workspace, channel and message it came from. */
    slack: z.optional(slackOrigin),
  }),
);
export type PersonCommand = z.infer<typeof personCommand.detail>;
