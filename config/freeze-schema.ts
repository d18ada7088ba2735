import * as z from '../lib/zod';
import { once } from '../lib/lazy';

import { parseWeekTime, WEEK_TIME } from '../lib/freeze/windows';
import { isKnownTimeZone } from '../lib/freeze/zoned-time';

/** The `freeze` key, built on first use (lib/lazy.ts). */
export const freezeSchema = /* @__PURE__ */ once(() => {
  const weekTime = z
    .string()
    .check(z.regex(WEEK_TIME, 'a weekday Mon..Sun and a 24 h time HH:MM, such as "Fri 16:00"'));

  const timeZone = z.string().check(
    z.refine(isKnownTimeZone, {
      error: (issue) => `an IANA time zone such as Europe/Berlin: ${JSON.stringify(issue.input)} is not one`,
    }),
  );

  /** A recurring window, on the wall clock of its time zone; it may run over the week's end (Fri → Mon). */
  const freezeWindow = z
    .strictObject({
      name: z.optional(
        z
          .string()
          .check(
            z.minLength(1),
            z.maxLength(64),
            z.regex(/^[\w .-]+$/, 'letters, digits, space and _ . - only'),
          ),
      ),
      from: weekTime,
      to: weekTime,
      timeZone,
    })
    .check(
      z.superRefine((w, ctx) => {
        if (parseWeekTime(w.from) === parseWeekTime(w.to)) {
          ctx.addIssue({
            code: 'custom',
            path: ['to'],
            message: `equals from (${w.from}): a window needs a length`,
          });
        }
      }),
    );

  /** An SSM document name (SSM's DocumentName: 3–128 of [a-zA-Z0-9_.-]), or the ARN of a calendar document. */
  const CALENDAR_NAME = /^[a-zA-Z0-9_.-]{3,128}$/;
  const CALENDAR_ARN =
    /^arn:aws(?:-[a-z]+)*:ssm:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:document\/[a-zA-Z0-9_.-]{3,128}$/;
  const changeCalendar = z.string().check(
    z.refine((s) => CALENDAR_NAME.test(s) || CALENDAR_ARN.test(s), {
      message:
        'an SSM Change Calendar document name (3–128 of letters, digits, _ . -) or its ARN ' +
        '(arn:aws:ssm:<region>:<account>:document/<name>)',
    }),
  );

  /** Minutes of the week each window covers (wall clock, DST aside): all of them would be a freeze without end. */
  function coversWholeWeek(windows: readonly { from: string; to: string }[]): boolean {
    const week = 7 * 24 * 60;
    const covered = new Uint8Array(week);
    for (const w of windows) {
      const from = parseWeekTime(w.from) ?? 0;
      const length = ((parseWeekTime(w.to) ?? from) - from + week) % week;
      for (let m = 0; m < length; m++) covered[(from + m) % week] = 1;
    }
    return covered.every((c) => c === 1);
  }

  /** The stage config key `freeze`: while any window or calendar is closed the gate approves nothing. */
  return z.strictObject({
    windows: z.optional(
      z.array(freezeWindow).check(
        z.refine((ws) => !coversWholeWeek(ws), {
          message: 'the windows cover the whole week: the gate would never open',
        }),
      ),
    ),
    changeCalendars: z.optional(
      z
        .array(changeCalendar)
        .check(z.refine((cs) => new Set(cs).size === cs.length, { message: 'each Change Calendar once' })),
    ),
  });
});

export type FreezeConfig = z.infer<ReturnType<typeof freezeSchema>>;
