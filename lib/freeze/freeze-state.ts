import type { ChangeCalendarState } from '../aws/change-calendar';
import {
  EndlessFreezeError,
  frozenUntil,
  windowsAt,
  type FreezeWindow,
  type WindowOccurrence,
} from './windows';
import { formatLocal } from './zoned-time';

/**
 * Whether the gate is frozen, why (one line a person reads per window or calendar), and `until`: the earliest moment
 * the freeze can end as far as the guard knows — when to look again. Absent while frozen: no known end (a calendar
 * closed with no transition time, or windows without a gap); the reconciler is then the one who looks again.
 */
export type FreezeState = { frozen: boolean; reasons: string[]; until?: Date };

export type FreezeInput = {
  at: Date;
  windows?: readonly FreezeWindow[];
  /** The calendars' combined answer (GetCalendarState) for the names asked about. */
  calendars?: { names: readonly string[]; answer: ChangeCalendarState };
  /** The zone in which calendar times are shown (windows show theirs); default: the first window's, else UTC. */
  timeZone?: string;
};

function windowReason(o: WindowOccurrence): string {
  const label = o.window.name ? `'${o.window.name}'` : `${o.index + 1}`;
  const span = `${o.window.from} → ${o.window.to} ${o.window.timeZone}`;
  return `freeze window ${label} (${span}) until ${formatLocal(o.until, o.window.timeZone)}`;
}

function calendarReason(names: readonly string[], answer: ChangeCalendarState, timeZone: string): string {
  const which = names.length === 1 ? `Change Calendar ${names[0]}` : `Change Calendars ${names.join(', ')}`;
  const next = answer.nextTransitionTime;
  return next
    ? `${which} CLOSED until ${formatLocal(next, timeZone)}`
    : `${which} CLOSED, no reopening time given`;
}

/** The windows' and the calendars' answers as one: frozen while any window holds or the calendars are CLOSED. */
export function freezeStateAt(input: FreezeInput): FreezeState {
  const windows = input.windows ?? [];
  const timeZone = input.timeZone ?? windows[0]?.timeZone ?? 'UTC';
  const reasons: string[] = [];
  let windowsEnd: Date | undefined = input.at;
  try {
    const answer = windowsAt(windows, input.at);
    if (answer.frozen) {
      reasons.push(...answer.by.map(windowReason));
      windowsEnd = answer.until;
    }
  } catch (error) {
    if (!(error instanceof EndlessFreezeError)) throw error;
    reasons.push('the freeze windows cover the whole week: no end');
    windowsEnd = undefined;
  }
  const calendar = input.calendars;
  const closed = calendar?.answer.state === 'CLOSED';
  if (calendar && closed) reasons.push(calendarReason(calendar.names, calendar.answer, timeZone));
  if (reasons.length === 0) return { frozen: false, reasons };
  const calendarEnd = closed ? calendar?.answer.nextTransitionTime : input.at;
  if (!windowsEnd || !calendarEnd) return { frozen: true, reasons };
  const later = new Date(Math.max(windowsEnd.getTime(), calendarEnd.getTime()));
  // When the calendar reopens, a window may have begun again; past that, the guard asks the calendar again.
  return { frozen: true, reasons, until: frozenUntil(windows, later) };
}

/**
 * A manual approval with no answer within seven days turns the pipeline execution Failed
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-approve-or-reject.html); the action's
 * `timeoutInMinutes` can change that.
 */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;

function durationText(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours / 24)) return `${hours / 24}-day`;
  return Number.isInteger(hours) ? `${hours}-hour` : `${Math.round(ms / 60_000)}-minute`;
}

/**
 * The warning for a message when an approval waiting at the gate since `waitingSince` will reach its action's own
 * timeout before the freeze ends (or the freeze has no known end); undefined when it will not.
 */
export function approvalTimeoutWarning(input: {
  freeze: FreezeState;
  waitingSince: Date;
  timeoutMs?: number;
  timeZone?: string;
}): string | undefined {
  if (!input.freeze.frozen) return undefined;
  const timeoutMs = input.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const timesOut = new Date(input.waitingSince.getTime() + timeoutMs);
  const until = input.freeze.until;
  if (until && timesOut.getTime() > until.getTime()) return undefined;
  const zone = input.timeZone ?? 'UTC';
  const when = `the approval waiting since ${formatLocal(input.waitingSince, zone)} times out at ${formatLocal(timesOut, zone)} (its ${durationText(timeoutMs)} timeout)`;
  const end = until
    ? `before the freeze ends at ${formatLocal(until, zone)}`
    : 'and the freeze has no known end';
  return `${when}, ${end}: the execution then fails at the gate`;
}
