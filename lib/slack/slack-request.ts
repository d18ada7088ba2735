import * as z from '../zod';
import { createHash } from 'node:crypto';
import type { CommandName } from '../command/command-schema';

/**
 * What a person did in Slack, read from a request body whose signature was already verified (signature.ts):
 * a button on one of the guard's messages (an interactive `block_actions` payload) or the slash command
 * (`/release-guard <command> …`). Both arrive form-encoded. The result is a command body for the same schema the
 * CLI's requests pass (lib/command/command-schema.ts) plus who pressed what where.
 */

import { ACTION_PREFIX, BUTTON_LABELS, type ButtonValue } from './buttons';

export type SlackUser = { id: string; name: string };

export type SlackAction = {
  via: 'button' | 'slash';
  teamId: string;
  channelId: string;
  user: SlackUser;
  command: CommandName | string;
  /** The command body, validated later with the guard's schema (lib/command/command-schema.ts). */
  body: Record<string, unknown>;
  /** Where the answer goes (Slack gives each action its own URL, valid 30 minutes, 5 posts). */
  responseUrl: string;
  /** Names this one action: a double click on the same button and Slack's retries share it (acted on once). */
  actionKey: string;
  /** The message the button was on: its timestamp (its id in the channel) and blocks (to update it). */
  message?: { ts: string; blocks: unknown[] };
};

export type ParsedSlackRequest = { ok: true; action: SlackAction } | { ok: false; message: string };

const id = z.string().check(z.minLength(1), z.maxLength(64));

const blockActions = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    type: z.literal('block_actions'),
    team: z.optional(z.nullable(z.looseObject({ id }))),
    user: z.looseObject({
      id,
      username: z.optional(z.string().check(z.maxLength(128))),
      name: z.optional(z.string().check(z.maxLength(128))),
      team_id: z.optional(id),
    }),
    channel: z.optional(z.looseObject({ id })),
    container: z.optional(
      z.looseObject({
        message_ts: z.optional(z.string().check(z.maxLength(32))),
        channel_id: z.optional(id),
      }),
    ),
    message: z.optional(
      z.looseObject({
        ts: z.string().check(z.maxLength(32)),
        blocks: z.optional(z.array(z.unknown()).check(z.maxLength(50))),
      }),
    ),
    response_url: z.string().check(z.maxLength(512)),
    trigger_id: z.optional(z.string().check(z.maxLength(256))),
    actions: z
      .array(
        z.looseObject({
          action_id: z.string().check(z.maxLength(255)),
          value: z.optional(z.string().check(z.maxLength(2000))),
        }),
      )
      .check(z.minLength(1), z.maxLength(5)),
  }),
);

const buttonValue = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    p: z.string().check(z.minLength(1), z.maxLength(100)),
    e: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    n: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
);

/** `reason` for a button: a click carries none, so the record says where it came from. */
export const buttonReason = (label: string) => `${label} pressed in Slack`;

export function parseSlackRequest(rawBody: Buffer): ParsedSlackRequest {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const payload = form.get('payload');
  if (payload !== null) return parseInteraction(payload);
  if (form.get('command') !== null) return parseSlashCommand(form);
  return { ok: false, message: 'neither an interaction payload nor a slash command' };
}

function parseInteraction(text: string): ParsedSlackRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'payload is not JSON' };
  }
  const parsed = blockActions.safeParse(json);
  if (!parsed.success) return { ok: false, message: `not a block_actions payload (${issues(parsed.error)})` };
  const p = parsed.data;
  const action = p.actions[0]!;
  if (!action.action_id.startsWith(ACTION_PREFIX)) {
    return { ok: false, message: `action ${action.action_id} is not one of the guard's buttons` };
  }
  const command = action.action_id.slice(ACTION_PREFIX.length);
  let value: ButtonValue;
  try {
    const v = buttonValue.safeParse(JSON.parse(action.value ?? ''));
    if (!v.success) return { ok: false, message: `button value: ${issues(v.error)}` };
    value = v.data;
  } catch {
    return { ok: false, message: 'button value is not JSON' };
  }
  const channelId = p.channel?.id ?? p.container?.channel_id;
  const teamId = p.team?.id ?? p.user.team_id;
  const ts = p.message?.ts ?? p.container?.message_ts;
  if (!channelId || !teamId || !ts)
    return { ok: false, message: 'no team, channel or message on the action' };
  const body: Record<string, unknown> = { command, pipeline: value.p };
  const label = BUTTON_LABELS[command as CommandName] ?? command;
  if (command !== 'release-hold' && command !== 'status') body.reason = buttonReason(label);
  if (command === 'promote-now' && value.e) body.execution = value.e;
  return {
    ok: true,
    action: {
      via: 'button',
      teamId,
      channelId,
      user: { id: p.user.id, name: p.user.username ?? p.user.name ?? p.user.id },
      command,
      body,
      responseUrl: p.response_url,
      // Not the trigger id: a double click is two triggers of one rendered button (same message, action, nonce).
      actionKey: digest(['button', teamId, channelId, ts, action.action_id, value.n]),
      message: { ts, blocks: p.message?.blocks ?? [] },
    },
  };
}

/** `/release-guard <command> [pipeline] [--until <time>] [--execution <id>] [--despite-alarm] [reason …]` */
function parseSlashCommand(form: URLSearchParams): ParsedSlackRequest {
  const field = (name: string) => form.get(name) ?? '';
  const [teamId, channelId, userId] = [field('team_id'), field('channel_id'), field('user_id')];
  const responseUrl = field('response_url');
  if (!teamId || !channelId || !userId || !responseUrl) {
    return { ok: false, message: 'slash command without team, channel, user or response_url' };
  }
  const words = field('text').trim().split(/\s+/).filter(Boolean);
  const command = words.shift() ?? 'status';
  const body: Record<string, unknown> = { command };
  const reason: string[] = [];
  if (words[0] && !words[0].startsWith('--')) body.pipeline = words.shift();
  while (words.length > 0) {
    const word = words.shift()!;
    if (word === '--until' && words[0]) body.until = words.shift();
    else if (word === '--execution' && words[0]) body.execution = words.shift();
    else if (word === '--despite-alarm') body.despiteAlarm = true;
    else reason.push(word);
  }
  if (reason.length > 0) body.reason = reason.join(' ');
  const triggerId = field('trigger_id');
  return {
    ok: true,
    action: {
      via: 'slash',
      teamId,
      channelId,
      user: { id: userId, name: field('user_name') || userId },
      command,
      body,
      responseUrl,
      // Slack does not retry a slash command, and each invocation has its own trigger id.
      actionKey: digest(['slash', teamId, channelId, userId, triggerId || field('text')]),
    },
  };
}

const digest = (parts: string[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);

const issues = (error: z.core.$ZodError) =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
