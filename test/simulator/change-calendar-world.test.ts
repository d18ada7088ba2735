import type { GetCalendarStateRequest } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';

import { getChangeCalendarState } from '../../lib/aws/change-calendar';
import { assertValidCall } from '../../simulator/validate-call';
import { ChangeCalendarWorld } from '../../simulator/world/change-calendar-world';

const T = (iso: string) => new Date(iso);

/** A clock the test moves by hand. */
function clockAt(iso: string) {
  let now = Date.parse(iso);
  return {
    nowMs: () => now,
    set: (to: string) => {
      now = Date.parse(to);
    },
  };
}

describe('ChangeCalendarWorld', () => {
  it('answers a calendar closed over a period, with the next transition either way', () => {
    // Prepare
    const clock = clockAt('2026-11-27T12:00:00Z');
    const calendars = new ChangeCalendarWorld(clock);
    calendars.define('leadout-prod', [{ from: T('2026-11-27T15:00:00Z'), until: T('2026-11-30T07:00:00Z') }]);

    // Act / Assess
    expect(calendars.getCalendarState({ CalendarNames: ['leadout-prod'] })).toEqual({
      State: 'OPEN',
      AtTime: '2026-11-27T12:00:00Z',
      NextTransitionTime: '2026-11-27T15:00:00Z',
    });
    expect(
      calendars.getCalendarState({ CalendarNames: ['leadout-prod'], AtTime: '2026-11-27T15:00:00Z' }),
    ).toEqual({
      State: 'CLOSED',
      AtTime: '2026-11-27T15:00:00Z',
      NextTransitionTime: '2026-11-30T07:00:00Z',
    });
    expect(
      calendars.getCalendarState({ CalendarNames: ['leadout-prod'], AtTime: '2026-11-30T07:00:00Z' }),
    ).toEqual({ State: 'OPEN', AtTime: '2026-11-30T07:00:00Z' });
  });

  it('combines calendars: CLOSED while any is, the transition when the combined state changes', () => {
    // Prepare: overlapping periods, the second ending later
    const calendars = new ChangeCalendarWorld(clockAt('2026-11-27T16:00:00Z'));
    calendars.define('leadout-prod', [{ from: T('2026-11-27T15:00:00Z'), until: T('2026-11-30T07:00:00Z') }]);
    calendars.define('company-holidays', [
      { from: T('2026-11-29T00:00:00Z'), until: T('2026-12-01T00:00:00Z') },
    ]);
    const both = ['leadout-prod', 'arn:aws:ssm:eu-west-1:111122223333:document/company-holidays'];

    // Act / Assess
    expect(calendars.getCalendarState({ CalendarNames: both })).toMatchObject({
      State: 'CLOSED',
      NextTransitionTime: '2026-12-01T00:00:00Z',
    });
    expect(calendars.getCalendarState({ CalendarNames: ['leadout-prod'] })).toMatchObject({
      State: 'CLOSED',
      NextTransitionTime: '2026-11-30T07:00:00Z',
    });
    expect(calendars.getCalendarState({ CalendarNames: both, AtTime: '2026-11-26T00:00:00Z' })).toMatchObject(
      {
        State: 'OPEN',
        NextTransitionTime: '2026-11-27T15:00:00Z',
      },
    );
  });

  it('treats touching periods as one closure', () => {
    const calendars = new ChangeCalendarWorld(clockAt('2026-11-27T15:30:00Z'));
    calendars.define('a', [{ from: T('2026-11-27T15:00:00Z'), until: T('2026-11-27T16:00:00Z') }]);
    calendars.define('b', [{ from: T('2026-11-27T16:00:00Z'), until: T('2026-11-27T17:00:00Z') }]);
    expect(calendars.getCalendarState({ CalendarNames: ['a', 'b'] })).toMatchObject({
      State: 'CLOSED',
      NextTransitionTime: '2026-11-27T17:00:00Z',
    });
  });

  it('is closed and opened by hand as virtual time passes', () => {
    // Prepare
    const clock = clockAt('2026-11-27T10:00:00Z');
    const calendars = new ChangeCalendarWorld(clock);
    calendars.define('leadout-prod');

    // Act
    clock.set('2026-11-27T11:00:00Z');
    calendars.close('leadout-prod');
    const closed = calendars.getCalendarState({ CalendarNames: ['leadout-prod'] });
    clock.set('2026-11-27T13:00:00Z');
    calendars.open('leadout-prod');
    const reopened = calendars.getCalendarState({ CalendarNames: ['leadout-prod'] });

    // Assess
    expect(closed).toEqual({ State: 'CLOSED', AtTime: '2026-11-27T11:00:00Z' });
    expect(reopened).toEqual({ State: 'OPEN', AtTime: '2026-11-27T13:00:00Z' });
    expect(
      calendars.getCalendarState({ CalendarNames: ['leadout-prod'], AtTime: '2026-11-27T12:00:00Z' }),
    ).toEqual({
      State: 'CLOSED',
      AtTime: '2026-11-27T12:00:00Z',
      NextTransitionTime: '2026-11-27T13:00:00Z',
    });
  });

  it('refuses an unknown calendar as AWS does (InvalidDocument)', () => {
    const calendars = new ChangeCalendarWorld(clockAt('2026-11-27T10:00:00Z'));
    expect(() => calendars.getCalendarState({ CalendarNames: ['leadout-missing'] })).toThrow(
      expect.objectContaining({ name: 'InvalidDocument' }),
    );
  });

  it("answers the guard's gateway, whose call fits the API model", async () => {
    // Prepare
    const calendars = new ChangeCalendarWorld(clockAt('2026-11-28T10:00:00Z'));
    calendars.define('leadout-prod', [{ from: T('2026-11-27T15:00:00Z'), until: T('2026-11-30T07:00:00Z') }]);
    const client = {
      send: async (command: { input: GetCalendarStateRequest }) => {
        assertValidCall('ssm', 'GetCalendarState', command.input);
        return calendars.getCalendarState(command.input);
      },
    };

    // Act
    const answer = await getChangeCalendarState(client as never, ['leadout-prod'], T('2026-11-28T10:00:00Z'));

    // Assess
    expect(answer).toEqual({ state: 'CLOSED', nextTransitionTime: T('2026-11-30T07:00:00Z') });
  });
});
