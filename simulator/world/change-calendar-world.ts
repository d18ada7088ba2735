import {
  InvalidDocument,
  type GetCalendarStateRequest,
  type GetCalendarStateResponse,
} from '@aws-sdk/client-ssm';

/** A closed period of a calendar; `untilMs` Infinity: closed until someone opens it. */
type Closed = { fromMs: number; untilMs: number };

/** A calendar document named by its name or by an ARN ending in `document/<name>` (account and region not modelled). */
function documentName(nameOrArn: string): string {
  const match = /^arn:[^:]+:ssm:[^:]*:[^:]*:document\/(.+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/** ISO 8601 to the second, as AWS writes these times. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * SSM Change Calendars over virtual time: each an OPEN-by-default calendar (a DEFAULT_OPEN document) with closed
 * periods, given up front (`define`) or toggled as the scenario runs (`close` / `open` at the clock's now).
 *
 * GetCalendarState answers as AWS documents it: OPEN only if every calendar asked about is open, CLOSED if one or
 * more is; NextTransitionTime is when that state changes (OPEN → CLOSED or CLOSED → OPEN). AWS does not spell out
 * NextTransitionTime for several calendars; modelled as the next change of the combined state, absent when none is
 * known (a calendar closed until opened by hand).
 */
export class ChangeCalendarWorld {
  readonly #calendars = new Map<string, Closed[]>();

  constructor(private readonly clock: { nowMs(): number }) {}

  /** A calendar, open except in `closed` ([from, until) each; until absent: closed until `open`). */
  define(name: string, closed: readonly { from: Date; until?: Date }[] = []): void {
    this.#calendars.set(
      name,
      closed.map((c) => ({ fromMs: c.from.getTime(), untilMs: c.until?.getTime() ?? Infinity })),
    );
  }

  /** Closes a calendar now, until `open` (a person adding an open-ended event in the console). */
  close(name: string): void {
    const now = this.clock.nowMs();
    const periods = this.#periods(name);
    if (!periods.some((c) => c.fromMs <= now && now < c.untilMs))
      periods.push({ fromMs: now, untilMs: Infinity });
  }

  /** Opens a calendar now: every closed period holding now ends now; later ones stay. */
  open(name: string): void {
    const now = this.clock.nowMs();
    for (const c of this.#periods(name)) if (c.fromMs <= now && now < c.untilMs) c.untilMs = now;
  }

  getCalendarState(input: GetCalendarStateRequest): GetCalendarStateResponse {
    const atMs = input.AtTime === undefined ? this.clock.nowMs() : Date.parse(input.AtTime);
    if (Number.isNaN(atMs)) throw new Error(`simulator: AtTime ${input.AtTime} is not an ISO 8601 time`);
    const periods = (input.CalendarNames ?? []).flatMap((n) => this.#known(n));
    const closedNow = merged(periods).find((c) => c.fromMs <= atMs && atMs < c.untilMs);
    const next = closedNow
      ? closedNow.untilMs
      : Math.min(...periods.map((c) => c.fromMs).filter((f) => f > atMs));
    return {
      State: closedNow ? 'CLOSED' : 'OPEN',
      AtTime: input.AtTime ?? isoSeconds(atMs),
      ...(Number.isFinite(next) ? { NextTransitionTime: isoSeconds(next) } : {}),
    };
  }

  #known(nameOrArn: string): Closed[] {
    const periods = this.#calendars.get(documentName(nameOrArn));
    if (!periods) {
      throw new InvalidDocument({ message: `The calendar ${nameOrArn} does not exist.`, $metadata: {} });
    }
    return periods.filter((c) => c.untilMs > c.fromMs);
  }

  #periods(name: string): Closed[] {
    const periods = this.#calendars.get(name);
    if (periods) return periods;
    const fresh: Closed[] = [];
    this.#calendars.set(name, fresh);
    return fresh;
  }
}

/** Overlapping or touching closed periods as one: no transition where one ends as the next begins. */
function merged(periods: readonly Closed[]): Closed[] {
  const sorted = [...periods].sort((a, b) => a.fromMs - b.fromMs);
  const out: Closed[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && c.fromMs <= last.untilMs) last.untilMs = Math.max(last.untilMs, c.untilMs);
    else out.push({ ...c });
  }
  return out;
}
