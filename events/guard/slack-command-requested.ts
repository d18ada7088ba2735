import * as z from '../../lib/zod';
import { guardContract } from './guard-event';

/** The Slack user, the workspace and the message a command came from: what its record names. */
export const slackOrigin = /* @__PURE__ */ z.lazy(() =>
  z.object({
    teamId: z.string().check(z.minLength(1), z.maxLength(64)),
    channelId: z.string().check(z.minLength(1), z.maxLength(64)),
    userId: z.string().check(z.minLength(1), z.maxLength(64)),
    userName: z.string().check(z.minLength(1), z.maxLength(128)),
    /** The message the button was on (its ts is its id in the channel); absent for the slash command. */
    messageTs: z.optional(z.string().check(z.maxLength(32))),
  }),
);
export type SlackOrigin = z.infer<typeof slackOrigin>;

/**
 * A command a person gave in Slack, put on the guard's bus by the Slack endpoint (handlers/slack-controls) only
 * after it verified Slack's signature, refused a replay and checked the workspace, channel and allow-list. The
 * command function runs it (handlers/command/from-slack.ts) with the same rules as a signed CLI request, once per
 * `actionKey`, and answers through `responseUrl`. A request, not a decision: the command announces its decision.
 */
export const slackCommandRequested = /* @__PURE__ */ guardContract('SlackCommandRequested', () =>
  z.object({
    via: z.enum(['button', 'slash']),
    origin: slackOrigin,
    /** The command body, validated again by the command function (lib/command/command-schema.ts). */
    body: z.record(z.string(), z.unknown()),
    actionKey: z.string().check(z.minLength(1), z.maxLength(64)),
    /** Slack's response_url for this action (hooks.slack.com): the command's answer goes there. */
    responseUrl: z
      .string()
      .check(z.maxLength(512), z.regex(/^https:\/\/|^http:\/\/127\.0\.0\.1[:/]/, 'an https URL')),
    /** The original message's blocks, to update it in place (what was done, by whom, the new buttons). */
    messageBlocks: z.optional(z.array(z.unknown()).check(z.maxLength(50))),
    requestedAt: z.string(),
  }),
);
export type SlackCommandRequested = z.infer<typeof slackCommandRequested.detail>;
