import * as z from '../zod';

/**
 * The body of a person's command to the guard, as the CLI sends it and the command handler accepts it.
 * The caller's identity is never part of it: it comes from IAM (see request.ts), so a body naming a person is
 * refused like any other unknown field.
 */

export const COMMANDS = [
  'hold',
  'release-hold',
  'promote-now',
  'lift-block',
  'rollback-now',
  'status',
  'history',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export const MAX_REASON_CHARS = 300;
export const MAX_UNTIL_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** CodePipeline's pipeline name: 1–100 of `[A-Za-z0-9.@_-]`. */
const pipeline = /* @__PURE__ */ z.lazy(() =>
  z
    .string({ error: 'must be a string' })
    .check(z.regex(/^[A-Za-z0-9.@_-]{1,100}$/, 'must be 1-100 characters of letters, digits and . @ _ -')),
);

/** Free text from a person: it ends up in Slack and in CodePipeline summaries, so it is bounded and printable. */
const reason = /* @__PURE__ */ z.lazy(() =>
  z
    .string({ error: 'must be a string' })
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(MAX_REASON_CHARS, `must be at most ${MAX_REASON_CHARS} characters`),
      z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    ),
);

/** A pipeline execution id (CodePipeline writes UUIDs). */
const execution = /* @__PURE__ */ z.lazy(() =>
  z
    .string({ error: 'must be a string' })
    .check(
      z.regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        'must be a pipeline execution id',
      ),
    ),
);

const ISO_WITH_ZONE = /* @__PURE__ */ z.lazy(() => z.iso.datetime({ offset: true }));

/** One message per bad `until`: a time that does not parse is not also "in the past". */
function until(now: Date) {
  return z.string({ error: 'must be a string' }).check(
    z.superRefine((text, ctx) => {
      const problem = !ISO_WITH_ZONE.safeParse(text).success
        ? 'must be an ISO-8601 time with a zone, e.g. 2026-12-04T16:00:00Z'
        : Date.parse(text) <= now.getTime()
          ? 'must be in the future'
          : Date.parse(text) > now.getTime() + MAX_UNTIL_DAYS * DAY_MS
            ? `must be at most ${MAX_UNTIL_DAYS} days from now`
            : undefined;
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );
}

/**
 * Where a history starts: an ISO-8601 time with a zone, a date (`2026-11-01`, midnight UTC) or `<n>d` (n days
 * before now), in the past and at most HISTORY_MAX_DAYS ago (the longest the history can keep anything).
 */
export const HISTORY_MAX_DAYS = 10 * 366;
function since(now: Date) {
  return z.pipe(
    z.string({ error: 'must be a string' }),
    z.transform((text, ctx) => {
      const days = /^(\d{1,4})d$/.exec(text);
      const at = days
        ? now.getTime() - Number(days[1]) * DAY_MS
        : /^\d{4}-\d{2}-\d{2}$/.test(text)
          ? Date.parse(`${text}T00:00:00Z`)
          : ISO_WITH_ZONE.safeParse(text).success
            ? Date.parse(text)
            : Number.NaN;
      const problem = Number.isNaN(at)
        ? 'must be an ISO-8601 time with a zone, a date (2026-11-01) or a number of days (30d)'
        : at > now.getTime()
          ? 'must not be in the future'
          : at < now.getTime() - HISTORY_MAX_DAYS * DAY_MS
            ? `must be at most ${HISTORY_MAX_DAYS} days ago`
            : undefined;
      if (problem !== undefined) {
        ctx.issues.push({ code: 'custom', message: problem, input: text });
        return z.NEVER;
      }
      return new Date(at).toISOString();
    }),
  );
}

/** The schema depends on the clock only through `until` and `since`; `now` is a parameter so the schema stays pure. */
export function commandBodySchema(now: Date) {
  return z.discriminatedUnion(
    'command',
    [
      z.strictObject({ command: z.literal('hold'), pipeline, reason, until: z.optional(until(now)) }),
      z.strictObject({ command: z.literal('release-hold'), pipeline, reason: z.optional(reason) }),
      z.strictObject({
        command: z.literal('promote-now'),
        pipeline,
        reason,
        execution: z.optional(execution),
        despiteAlarm: z.optional(z.boolean({ error: 'must be true or false' })),
      }),
      z.strictObject({ command: z.literal('lift-block'), pipeline, reason }),
      z.strictObject({ command: z.literal('rollback-now'), pipeline, reason }),
      z.strictObject({ command: z.literal('status'), pipeline: z.optional(pipeline) }),
      z.strictObject({ command: z.literal('history'), pipeline, since: z.optional(since(now)) }),
    ],
    { error: `must be one of ${COMMANDS.join(', ')}` },
  );
}

export type CommandBody = z.infer<ReturnType<typeof commandBodySchema>>;

export type ParsedCommandBody = { ok: true; command: CommandBody } | { ok: false; message: string };

/** Validates a body; the message names every bad field, e.g. `reason: required for hold`. */
export function parseCommandBody(body: unknown, now: Date): ParsedCommandBody {
  const parsed = commandBodySchema(now).safeParse(body);
  if (parsed.success) return { ok: true, command: parsed.data };
  return { ok: false, message: describeIssues(parsed.error, body) };
}

function describeIssues(error: z.core.$ZodError, body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'body: must be a JSON object with a command';
  }
  const fields = body as Record<string, unknown>;
  const command = typeof fields.command === 'string' ? fields.command : 'this command';
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${key}: not a field of ${command}`).join('; ');
      }
      const field = issue.path.join('.');
      // zod does not report the input by default: a field missing from the body is what "required" means.
      if (issue.code === 'invalid_type' && !(field in fields)) return `${field}: required for ${command}`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
