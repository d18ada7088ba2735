import { GetCalendarStateCommand, type GetCalendarStateOutput } from './ssm';

/** lib/aws/ssm.ts `ssmClient()`, or the simulator's SSM. */
export type SsmSender = { send(command: GetCalendarStateCommand): Promise<GetCalendarStateOutput> };

/** The combined state of the Change Calendars asked about, and when it changes next (when AWS says). */
export type ChangeCalendarState = { state: 'OPEN' | 'CLOSED'; nextTransitionTime?: Date };

/** An answer without a state the guard knows, or with a transition time it cannot read: not taken as OPEN. */
export class UnexpectedCalendarAnswerError extends Error {
  override name = 'UnexpectedCalendarAnswerError';
}

/**
 * GetCalendarState for all `calendarNames` (names or ARNs of SSM Change Calendar documents) at `atTime` (default:
 * AWS's now). AWS answers OPEN only if every calendar in the request is open, CLOSED if one or more is closed; if the
 * state is OPEN, NextTransitionTime is when it changes to CLOSED, and vice versa
 * (https://docs.aws.amazon.com/cli/v1/reference/ssm/get-calendar-state.html, and the API reference
 * https://docs.amazonaws.cn/goto/WebAPI/ssm-2014-11-06/GetCalendarState). With no calendars nothing is asked and
 * nothing is closed. AWS's errors (InvalidDocument, UnsupportedCalendarException, ...) pass through with their names.
 */
export async function getChangeCalendarState(
  client: SsmSender,
  calendarNames: readonly string[],
  atTime?: Date,
): Promise<ChangeCalendarState> {
  if (calendarNames.length === 0) return { state: 'OPEN' };
  const out = await client.send(
    new GetCalendarStateCommand({
      CalendarNames: [...calendarNames],
      // ISO 8601 to the second, as AWS's own examples write it.
      ...(atTime ? { AtTime: atTime.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    }),
  );
  if (out.State !== 'OPEN' && out.State !== 'CLOSED') {
    throw new UnexpectedCalendarAnswerError(
      `GetCalendarState for ${calendarNames.join(', ')} answered state ${String(out.State)}`,
    );
  }
  if (out.NextTransitionTime === undefined || out.NextTransitionTime === '') return { state: out.State };
  const next = typeof out.NextTransitionTime === 'string' ? new Date(out.NextTransitionTime) : new Date(NaN);
  if (Number.isNaN(next.getTime())) {
    throw new UnexpectedCalendarAnswerError(
      `GetCalendarState for ${calendarNames.join(', ')} answered NextTransitionTime ${String(out.NextTransitionTime)}`,
    );
  }
  return { state: out.State, nextTransitionTime: next };
}
