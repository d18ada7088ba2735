/**
 * Wall-clock time in an IANA time zone, with nothing but `Intl` (the Lambda runtime's full ICU): what the clock on
 * the wall shows at an instant, and the instant at which it first shows a given local date and time.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether the time zone is an IANA name `Intl` knows (Europe/Berlin, UTC). Node 22's Intl also takes fixed offsets
 * ("+01:00"); those are refused: an offset never follows the zone's daylight saving time.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][\w+\-/]*$/.test(timeZone)) return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock at `atMs`, as milliseconds since the epoch of a UTC calendar that shows the same date and time
 * ("local ms"): local ms − instant ms is the zone's offset then.
 */
export function localMs(atMs: number, timeZone: string): number {
  const whole = Math.floor(atMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(whole))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return local + (atMs - whole);
}

/**
 * The first instant at which the wall clock in `timeZone` shows `local` (local ms) or later.
 * - A local time that exists once: that instant.
 * - One that exists twice (the hour repeated when clocks go back): its first occurrence.
 * - One that does not exist (the hour skipped when clocks go forward): the instant the clocks jump, where the wall
 *   clock goes from just before it to just after it (02:30 on a spring-forward day at 02:00 → 03:00 → 03:00).
 */
export function firstInstantShowing(local: number, timeZone: string): number {
  // Offsets a day either side bracket any transition near `local` (zones change offset at most once a day).
  const offsets = new Set([
    localMs(local - DAY_MS, timeZone) - (local - DAY_MS),
    localMs(local + DAY_MS, timeZone) - (local + DAY_MS),
  ]);
  const exact = [...offsets].map((o) => local - o).filter((t) => localMs(t, timeZone) === local);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the wall clock is monotonic across a spring-forward, so the first instant showing ≥ local is found
  // by bisection between the instants the two offsets give.
  let lo = local - Math.max(...offsets);
  let hi = local - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localMs(mid, timeZone) >= local) hi = mid;
    else lo = mid;
  }
  return hi;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** The zone's abbreviation at an instant: CET/CEST, EST/EDT, UTC, or GMT+5:30 where the zone has none in English. */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const nameIn = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const us = nameIn('en-US');
  return us.startsWith('GMT') ? nameIn('en-GB') : us;
}

/** "Mon 2026-11-30 08:00 CET": the wall clock in `timeZone` at `at`, to the minute. */
export function formatLocal(at: Date, timeZone: string): string {
  const local = new Date(localMs(at.getTime(), timeZone));
  const date = local.toISOString().slice(0, 10);
  const time = local.toISOString().slice(11, 16);
  return `${WEEKDAYS[local.getUTCDay()]} ${date} ${time} ${zoneAbbreviation(at, timeZone)}`;
}
