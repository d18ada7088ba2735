import { firstInstantShowing, localMs } from './zoned-time';

/** A recurring freeze window as configured: `from`/`to` are "Fri 16:00", "Mon 08:00" on the wall clock of `timeZone`. */
export type FreezeWindow = { name?: string; from: string; to: string; timeZone: string };

/** One occurrence of a window: the instants it starts (frozen) and ends (no longer frozen by it). */
export type WindowOccurrence = { window: FreezeWindow; index: number; from: Date; until: Date };

export type WindowsAnswer = { frozen: false } | { frozen: true; by: WindowOccurrence[]; until: Date };

/** The windows never leave a gap the search can find (they cover the whole week): the freeze has no end. */
export class EndlessFreezeError extends Error {
  override name = 'EndlessFreezeError';
}

export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const WEEK_TIME = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)$/;

/** A "Fri 16:00": minutes since Monday 00:00 on the wall clock; undefined when it is not one. */
export function parseWeekTime(text: string): number | undefined {
  const match = WEEK_TIME.exec(text);
  if (!match) return undefined;
  const day = WEEKDAY_NAMES.indexOf(match[1] as (typeof WEEKDAY_NAMES)[number]);
  return day * 24 * 60 + Number(match[2]) * 60 + Number(match[3]);
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEK_MINUTES = 7 * 24 * 60;

/** The local ms of the Monday 00:00 that starts the wall-clock week containing `local`. */
function weekStart(local: number): number {
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  const mondayBased = (new Date(midnight).getUTCDay() + 6) % 7;
  return midnight - mondayBased * DAY_MS;
}

function occurrencesAround(window: FreezeWindow, index: number, atMs: number): WindowOccurrence[] {
  const from = parseWeekTime(window.from);
  const to = parseWeekTime(window.to);
  if (from === undefined || to === undefined || from === to) return [];
  const length = (to - from + WEEK_MINUTES) % WEEK_MINUTES;
  const monday = weekStart(localMs(atMs, window.timeZone));
  // Windows are shorter than a week, so one starting this week, last week or the week before covers every case.
  return [-2, -1, 0].map((weeks) => {
    const start = monday + weeks * 7 * DAY_MS + from * MINUTE_MS;
    return {
      window,
      index,
      from: new Date(firstInstantShowing(start, window.timeZone)),
      until: new Date(firstInstantShowing(start + length * MINUTE_MS, window.timeZone)),
    };
  });
}

/** The window occurrences that freeze the instant `at` (a window holds from its start, inclusive, to its end). */
export function activeWindows(windows: readonly FreezeWindow[], at: Date): WindowOccurrence[] {
  const atMs = at.getTime();
  return windows.flatMap((w, i) =>
    occurrencesAround(w, i, atMs).filter((o) => o.from.getTime() <= atMs && atMs < o.until.getTime()),
  );
}

/**
 * The first instant from `at` on that no window freezes: `at` itself when it is not frozen. Overlapping and adjacent
 * windows are followed one end to the next; a bounded search, so windows covering the whole week throw.
 */
export function frozenUntil(windows: readonly FreezeWindow[], at: Date): Date {
  let t = at;
  for (let step = 0; step <= 4 * windows.length + 8; step++) {
    const active = activeWindows(windows, t);
    if (active.length === 0) return t;
    t = new Date(Math.max(...active.map((o) => o.until.getTime())));
  }
  throw new EndlessFreezeError(`the freeze windows leave no open moment after ${at.toISOString()}`);
}

/** Whether the windows freeze `at`, by which occurrences, and the first instant after it that is not frozen. */
export function windowsAt(windows: readonly FreezeWindow[], at: Date): WindowsAnswer {
  const by = activeWindows(windows, at);
  if (by.length === 0) return { frozen: false };
  return { frozen: true, by, until: frozenUntil(windows, at) };
}
