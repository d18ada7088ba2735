/**
 * The reason the guard puts on the Prod inbound transition, and how it recognises its own.
 *
 * CodePipeline accepts 1–300 characters of letters, digits, space and `! @ ( ) . * ? -` as a reason, so alarm
 * names are rewritten to fit (every other character becomes `-`, parentheses too, so the form stays parseable)
 * and the time is written `2026-11-27 14.05 UTC`. Ownership is the form itself: a reason that parses is the
 * guard's; anything else (a person's freeze, another tool's) is never the guard's to lift.
 */

export type BlockingState = 'ALARM' | 'INSUFFICIENT_DATA';
export type GuardReason = { alarmName: string; state: BlockingState; since: Date };

export const REASON_PREFIX = 'release-guard (dev alarm ';
const MAX_REASON = 300;
/** The reason's characters (CodePipeline's DisableStageTransition.reason pattern). */
export const REASON_CHARS = /^[a-zA-Z0-9!@ ()\.*?\-]+$/;
const STATE_WORD: Record<BlockingState, string> = { ALARM: 'ALARM', INSUFFICIENT_DATA: 'INSUFFICIENT-DATA' };
const FORM =
  /^release-guard \(dev alarm ([a-zA-Z0-9!@ .*?-]+) in (ALARM|INSUFFICIENT-DATA) since (\d{4}-\d{2}-\d{2}) (\d{2})\.(\d{2}) UTC\)$/;

/** Fits CodePipeline's reason alphabet; parentheses are replaced so the name cannot end the form early. */
export function reasonSafeName(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9!@ .*?-]/g, '-').trim();
  return safe.length > 0 ? safe : 'unnamed';
}

/**
 * The reason's time. The contract rejects times outside AWS's range, but the reason must fit CodePipeline
 * whatever Date it is given: an invalid one or one outside years 0–9999 (which `toISOString` writes with a sign
 * and six digits, or throws for) is written as the edge of the range, so the guard still closes Prod.
 */
const EARLIEST_ISO = '0000-01-01T00:00:00.000Z';
const LATEST_ISO = '9999-12-31T23:59:59.999Z';

function reasonTime(since: Date): string {
  const ms = since.getTime();
  if (Number.isNaN(ms)) return EARLIEST_ISO;
  return new Date(Math.min(Math.max(ms, Date.parse(EARLIEST_ISO)), Date.parse(LATEST_ISO))).toISOString();
}

export function formatGuardReason(reason: GuardReason): string {
  const iso = reasonTime(reason.since);
  const tail = ` in ${STATE_WORD[reason.state]} since ${iso.slice(0, 10)} ${iso.slice(11, 13)}.${iso.slice(14, 16)} UTC)`;
  const room = MAX_REASON - REASON_PREFIX.length - tail.length;
  const name = reasonSafeName(reason.alarmName).slice(0, room).trim();
  return `${REASON_PREFIX}${name}${tail}`;
}

/** The guard's reason read back (the name as rewritten, the time to the minute), or undefined: not the guard's. */
export function parseGuardReason(text: string | undefined): GuardReason | undefined {
  const match = text === undefined ? null : FORM.exec(text);
  if (!match) return undefined;
  const [, alarmName, state, day, hours, minutes] = match;
  const since = new Date(`${day}T${hours}:${minutes}:00Z`);
  if (Number.isNaN(since.getTime())) return undefined;
  return {
    alarmName: alarmName!,
    state: state === 'ALARM' ? 'ALARM' : 'INSUFFICIENT_DATA',
    since,
  };
}

export const isGuardReason = (text: string | undefined): boolean => parseGuardReason(text) !== undefined;
