import * as z from '../zod';
import { once } from '../lazy';
import { COMMANDS, type CommandName } from '../command/command-schema';

/**
 * The stage config key `slack`: Slack controls (docs/slack-controls.md). Without it no Slack endpoint is deployed
 * and the guard's messages carry no buttons.
 */

/** The `slack` key, built on first use (lib/lazy.ts). */
export const slackSchema = /* @__PURE__ */ once(() => {
  const parameterName = z.string().check(z.regex(/^\/[\w.\-/]+$/, 'an SSM parameter name starting with /'));
  /** Slack ids: workspaces T… (Enterprise Grid E…), channels C… / G… (private), users U… / W…, user groups S…. */
  const slackId = (prefixes: string, what: string) =>
    z
      .string()
      .check(
        z.regex(
          new RegExp(`^[${prefixes}][A-Z0-9]{2,20}$`),
          `a Slack ${what} id (${prefixes.split('').join('… or ')}…)`,
        ),
      );

  /** Every command but status, which every verified member of the channel may run (it only reads). */
  // status and history only read: open to the channel, never in an allow rule.
  const ACTING_COMMANDS = COMMANDS.filter(
    (c): c is Exclude<CommandName, 'status' | 'history'> => c !== 'status' && c !== 'history',
  );

  const allowRule = z
    .strictObject({
      commands: z.array(z.enum(ACTING_COMMANDS)).check(z.minLength(1)),
      users: z.optional(z.array(slackId('UW', 'user')).check(z.minLength(1))),
      /** One user group, resolved through the Web API (usergroups.users.list) with the bot token, cached. */
      userGroup: z.optional(slackId('S', 'user group')),
    })
    .check(
      z.refine((r) => r.users !== undefined || r.userGroup !== undefined, {
        message: 'name users and/or a userGroup',
      }),
    );

  return z
    .strictObject({
      /** SecureString holding the app's signing secret: read at run time, never in the template or environment. */
      signingSecretParameter: parameterName,
      /** SecureString holding the bot token (xoxb-…), needed to resolve a userGroup (scope usergroups:read). */
      botTokenParameter: z.optional(parameterName),
      teamId: slackId('TE', 'workspace'),
      /** The channel the guard posts to: requests from any other channel are refused. */
      channelId: slackId('CG', 'channel'),
      allow: z.array(allowRule).check(z.minLength(1)),
    })
    .check(
      z.superRefine((s, ctx) => {
        if (s.allow.some((r) => r.userGroup !== undefined) && s.botTokenParameter === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['botTokenParameter'],
            message: 'required when an allow rule names a userGroup (the guard asks Slack who is in it)',
          });
        }
      }),
    );
});

export type SlackConfig = z.infer<ReturnType<typeof slackSchema>>;
export type SlackAllowRule = SlackConfig['allow'][number];
