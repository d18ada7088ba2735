import { describe, expect, it } from 'vitest';

import { approvalTimeoutWarning, freezeStateAt, type FreezeState } from '../../../lib/freeze/freeze-state';
import type { FreezeWindow } from '../../../lib/freeze/windows';

const weekend: FreezeWindow = {
  name: 'weekend',
  from: 'Fri 16:00',
  to: 'Mon 08:00',
  timeZone: 'Europe/Berlin',
};
const monday: FreezeWindow = { from: 'Mon 10:00', to: 'Mon 12:00', timeZone: 'Europe/Berlin' };
const saturday = new Date('2026-11-28T10:00:00Z');
const wednesday = new Date('2026-11-25T10:00:00Z');

describe('freezeStateAt', () => {
  it.each<[string, Parameters<typeof freezeStateAt>[0], FreezeState]>([
    ['nothing configured', { at: saturday }, { frozen: false, reasons: [] }],
    [
      'outside every window, calendar open',
      {
        at: wednesday,
        windows: [weekend],
        calendars: { names: ['leadout-prod'], answer: { state: 'OPEN', nextTransitionTime: saturday } },
      },
      { frozen: false, reasons: [] },
    ],
    [
      'in a window',
      { at: saturday, windows: [weekend] },
      {
        frozen: true,
        reasons: [
          "freeze window 'weekend' (Fri 16:00 → Mon 08:00 Europe/Berlin) until Mon 2026-11-30 08:00 CET",
        ],
        until: new Date('2026-11-30T07:00:00Z'),
      },
    ],
    [
      "a closed calendar, shown in the first window's zone",
      {
        at: wednesday,
        windows: [weekend],
        calendars: {
          names: ['leadout-prod'],
          answer: { state: 'CLOSED', nextTransitionTime: new Date('2026-11-26T08:00:00Z') },
        },
      },
      {
        frozen: true,
        reasons: ['Change Calendar leadout-prod CLOSED until Thu 2026-11-26 09:00 CET'],
        until: new Date('2026-11-26T08:00:00Z'),
      },
    ],
    [
      'closed calendars with no transition time: no known end',
      {
        at: saturday,
        windows: [weekend],
        calendars: { names: ['leadout-prod', 'holidays'], answer: { state: 'CLOSED' } },
      },
      {
        frozen: true,
        reasons: [
          "freeze window 'weekend' (Fri 16:00 → Mon 08:00 Europe/Berlin) until Mon 2026-11-30 08:00 CET",
          'Change Calendars leadout-prod, holidays CLOSED, no reopening time given',
        ],
      },
    ],
    [
      'a calendar reopening inside the next window: until that window ends',
      {
        at: saturday,
        windows: [weekend, monday],
        calendars: {
          names: ['leadout-prod'],
          answer: { state: 'CLOSED', nextTransitionTime: new Date('2026-11-30T09:30:00Z') },
        },
        timeZone: 'UTC',
      },
      {
        frozen: true,
        reasons: [
          "freeze window 'weekend' (Fri 16:00 → Mon 08:00 Europe/Berlin) until Mon 2026-11-30 08:00 CET",
          'Change Calendar leadout-prod CLOSED until Mon 2026-11-30 09:30 UTC',
        ],
        until: new Date('2026-11-30T11:00:00Z'),
      },
    ],
    [
      'an unnamed window by its number, the window outlasting the calendar',
      {
        at: new Date('2026-11-30T09:30:00Z'),
        windows: [weekend, monday],
        calendars: {
          names: ['leadout-prod'],
          answer: { state: 'CLOSED', nextTransitionTime: new Date('2026-11-30T10:00:00Z') },
        },
      },
      {
        frozen: true,
        reasons: [
          'freeze window 2 (Mon 10:00 → Mon 12:00 Europe/Berlin) until Mon 2026-11-30 12:00 CET',
          'Change Calendar leadout-prod CLOSED until Mon 2026-11-30 11:00 CET',
        ],
        until: new Date('2026-11-30T11:00:00Z'),
      },
    ],
  ])('%s', (_case, input, expected) => {
    expect(freezeStateAt(input)).toEqual(expected);
  });
});

describe('approvalTimeoutWarning', () => {
  const frozenUntilMonday: FreezeState = {
    frozen: true,
    reasons: [],
    until: new Date('2026-11-30T07:00:00Z'),
  };

  it('warns when the 7-day default timeout comes before the freeze ends', () => {
    // Prepare: waiting since Mon 2026-11-23 06:00Z, times out Mon 2026-11-30 06:00Z, an hour before the end
    const warning = approvalTimeoutWarning({
      freeze: frozenUntilMonday,
      waitingSince: new Date('2026-11-23T06:00:00Z'),
      timeZone: 'Europe/Berlin',
    });

    // Assess
    expect(warning).toBe(
      'the approval waiting since Mon 2026-11-23 07:00 CET times out at Mon 2026-11-30 07:00 CET ' +
        '(its 7-day timeout), before the freeze ends at Mon 2026-11-30 08:00 CET: the execution then fails at the gate',
    );
  });

  it('warns at a timeout exactly at the end, not a millisecond after it', () => {
    const at = (since: string) =>
      approvalTimeoutWarning({
        freeze: frozenUntilMonday,
        waitingSince: new Date(since),
        timeoutMs: 3_600_000,
      });
    expect(at('2026-11-30T06:00:00.000Z')).toContain('(its 1-hour timeout), before the freeze ends');
    expect(at('2026-11-30T06:00:00.001Z')).toBeUndefined();
  });

  it('warns when the freeze has no known end, and never when not frozen', () => {
    expect(
      approvalTimeoutWarning({
        freeze: { frozen: true, reasons: [] },
        waitingSince: new Date('2026-11-28T10:00:00Z'),
        timeoutMs: 90 * 60_000,
      }),
    ).toBe(
      'the approval waiting since Sat 2026-11-28 10:00 UTC times out at Sat 2026-11-28 11:30 UTC ' +
        '(its 90-minute timeout), and the freeze has no known end: the execution then fails at the gate',
    );
    expect(
      approvalTimeoutWarning({
        freeze: { frozen: false, reasons: [] },
        waitingSince: new Date(0),
        timeoutMs: 1,
      }),
    ).toBeUndefined();
  });
});
