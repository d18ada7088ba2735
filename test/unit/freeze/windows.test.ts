import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  activeWindows,
  EndlessFreezeError,
  frozenUntil,
  windowsAt,
  type FreezeWindow,
} from '../../../lib/freeze/windows';

const berlinWeekend: FreezeWindow = {
  name: 'weekend',
  from: 'Fri 16:00',
  to: 'Mon 08:00',
  timeZone: 'Europe/Berlin',
};
const newYorkWeekend: FreezeWindow = { from: 'Fri 17:00', to: 'Mon 06:00', timeZone: 'America/New_York' };

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

describe('windowsAt: Fri 16:00 → Mon 08:00 Europe/Berlin', () => {
  it.each([
    // [instant, frozen until (undefined: open)]
    ['2026-11-27T14:59:59.999Z', undefined], // Fri 15:59:59.999 CET
    ['2026-11-27T15:00:00.000Z', '2026-11-30T07:00:00.000Z'], // Fri 16:00 CET → Mon 08:00 CET
    ['2026-11-29T23:00:00.000Z', '2026-11-30T07:00:00.000Z'],
    ['2026-11-30T06:59:59.999Z', '2026-11-30T07:00:00.000Z'],
    ['2026-11-30T07:00:00.000Z', undefined],
    ['2026-11-25T12:00:00.000Z', undefined], // Wednesday
  ])('at %s: frozen until %s', (instant, until) => {
    // Act
    const answer = windowsAt([berlinWeekend], at(instant));

    // Assess
    expect(answer.frozen ? iso(answer.until) : undefined).toBe(until);
  });

  it('ends at 08:00 CEST (06:00Z) on the weekend the clocks go forward (Sun 2026-03-29)', () => {
    // Prepare: Fri 2026-03-27 16:00 is still CET (15:00Z)
    const answer = windowsAt([berlinWeekend], at('2026-03-27T15:00:00Z'));

    // Assess
    expect(answer).toMatchObject({ frozen: true, until: at('2026-03-30T06:00:00Z') });
    expect(windowsAt([berlinWeekend], at('2026-03-30T05:59:59Z')).frozen).toBe(true);
    expect(windowsAt([berlinWeekend], at('2026-03-30T06:00:00Z')).frozen).toBe(false);
    expect(windowsAt([berlinWeekend], at('2026-03-27T14:59:59Z')).frozen).toBe(false);
  });

  it('ends at 08:00 CET (07:00Z) on the weekend the clocks go back (Sun 2026-10-25)', () => {
    // Prepare: Fri 2026-10-23 16:00 is still CEST (14:00Z)
    const answer = windowsAt([berlinWeekend], at('2026-10-23T14:00:00Z'));

    // Assess
    expect(answer).toMatchObject({ frozen: true, until: at('2026-10-26T07:00:00Z') });
    expect(windowsAt([berlinWeekend], at('2026-10-26T06:30:00Z')).frozen).toBe(true); // Mon 07:30 CET
    expect(windowsAt([berlinWeekend], at('2026-10-26T07:00:00Z')).frozen).toBe(false);
    expect(windowsAt([berlinWeekend], at('2026-10-23T13:59:59Z')).frozen).toBe(false);
  });

  it('names the window occurrence that freezes', () => {
    // Act
    const answer = windowsAt([berlinWeekend], at('2026-11-28T10:00:00Z'));

    // Assess
    expect(answer).toEqual({
      frozen: true,
      by: [
        {
          window: berlinWeekend,
          index: 0,
          from: at('2026-11-27T15:00:00Z'),
          until: at('2026-11-30T07:00:00Z'),
        },
      ],
      until: at('2026-11-30T07:00:00Z'),
    });
  });
});

describe('windowsAt: Fri 17:00 → Mon 06:00 America/New_York', () => {
  it.each([
    ['2026-03-06T22:00:00Z', '2026-03-09T10:00:00Z'], // EST start, EDT end (US clocks go forward Sun 2026-03-08)
    ['2026-10-30T21:00:00Z', '2026-11-02T11:00:00Z'], // EDT start, EST end (clocks go back Sun 2026-11-01)
    ['2026-11-27T22:00:00Z', '2026-11-30T11:00:00Z'],
  ])('from %s frozen until %s', (instant, until) => {
    const answer = windowsAt([newYorkWeekend], at(instant));
    expect(answer.frozen ? iso(answer.until) : undefined).toBe(iso(at(until)));
  });

  it('is open a moment before the start and at the end', () => {
    expect(windowsAt([newYorkWeekend], at('2026-03-06T21:59:59Z')).frozen).toBe(false);
    expect(windowsAt([newYorkWeekend], at('2026-11-02T11:00:00Z')).frozen).toBe(false);
  });
});

describe('local times that do not exist or exist twice (Europe/Berlin)', () => {
  it('a boundary in the skipped hour takes effect when the clocks jump (02:30 on 2026-03-29 → 03:00 CEST, 01:00Z)', () => {
    // Prepare
    const night: FreezeWindow = { from: 'Sun 02:30', to: 'Sun 04:00', timeZone: 'Europe/Berlin' };

    // Act / Assess
    expect(windowsAt([night], at('2026-03-29T00:59:59Z')).frozen).toBe(false); // 01:59:59 CET
    expect(windowsAt([night], at('2026-03-29T01:00:00Z'))).toMatchObject({
      frozen: true,
      by: [{ from: at('2026-03-29T01:00:00Z'), until: at('2026-03-29T02:00:00Z') }],
    });
  });

  it('a boundary in the repeated hour is its first occurrence (02:30 CEST on 2026-10-25, 00:30Z)', () => {
    // Prepare
    const ends: FreezeWindow = { from: 'Sat 22:00', to: 'Sun 02:30', timeZone: 'Europe/Berlin' };
    const starts: FreezeWindow = { from: 'Sun 02:30', to: 'Sun 05:00', timeZone: 'Europe/Berlin' };

    // Act / Assess
    expect(frozenUntil([ends], at('2026-10-24T21:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
    expect(windowsAt([ends], at('2026-10-25T01:10:00Z')).frozen).toBe(false); // 02:10 CET, the second time
    expect(windowsAt([starts], at('2026-10-25T00:30:00Z'))).toMatchObject({
      frozen: true,
      until: at('2026-10-25T04:00:00Z'),
    });
  });
});

describe('several windows', () => {
  it('follows an adjacent window to its end', () => {
    const monday: FreezeWindow = {
      name: 'standup',
      from: 'Mon 08:00',
      to: 'Mon 09:00',
      timeZone: 'Europe/Berlin',
    };
    expect(frozenUntil([berlinWeekend, monday], at('2026-11-28T10:00:00Z'))).toEqual(
      at('2026-11-30T08:00:00Z'),
    );
  });

  it('follows an overlapping window in another zone, listing both while both hold', () => {
    // Prepare: Mon 06:00 New York is 11:00Z, after Berlin's 07:00Z
    const answer = windowsAt([berlinWeekend, newYorkWeekend], at('2026-11-28T10:00:00Z'));

    // Assess
    expect(answer).toMatchObject({ frozen: true, until: at('2026-11-30T11:00:00Z') });
    expect(answer.frozen && answer.by.map((o) => o.index)).toEqual([0, 1]);
  });

  it('a window within a day, and one that wraps the whole week but two hours', () => {
    const lunch: FreezeWindow = { from: 'Wed 12:00', to: 'Wed 13:30', timeZone: 'UTC' };
    const almostAll: FreezeWindow = { from: 'Mon 10:00', to: 'Mon 08:00', timeZone: 'UTC' };
    expect(frozenUntil([lunch], at('2026-11-25T12:00:00Z'))).toEqual(at('2026-11-25T13:30:00Z'));
    expect(frozenUntil([almostAll], at('2026-11-25T12:00:00Z'))).toEqual(at('2026-11-30T08:00:00Z'));
    expect(activeWindows([almostAll], at('2026-11-30T09:00:00Z'))).toEqual([]);
  });

  it('no windows freeze nothing', () => {
    expect(windowsAt([], at('2026-11-28T10:00:00Z'))).toEqual({ frozen: false });
  });

  it('windows covering the whole week throw rather than loop', () => {
    const windows: FreezeWindow[] = [
      { from: 'Mon 00:00', to: 'Sun 23:59', timeZone: 'UTC' },
      { from: 'Sun 23:00', to: 'Mon 01:00', timeZone: 'UTC' },
    ];
    expect(() => frozenUntil(windows, at('2026-11-28T10:00:00Z'))).toThrow(EndlessFreezeError);
  });
});

describe('frozenUntil (property)', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Lord_Howe', 'Asia/Kolkata'];
  const day = fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun');
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const window = fc
    .record({ from: fc.tuple(day, time), to: fc.tuple(day, time), timeZone: fc.constantFrom(...zones) })
    .map((w): FreezeWindow => ({ from: w.from.join(' '), to: w.to.join(' '), timeZone: w.timeZone }))
    .filter((w) => w.from !== w.to);
  const instant = fc
    .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) })
    .map((ms) => new Date(ms));

  it('is never frozen itself, and every instant from now up to it is frozen', () => {
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 3 }), instant, (windows, now) => {
        let until: Date;
        try {
          until = frozenUntil(windows, now);
        } catch (error) {
          if (error instanceof EndlessFreezeError) return; // windows that leave no gap (the schema refuses them)
          throw error;
        }
        expect(until.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(activeWindows(windows, until)).toEqual([]);
        const span = until.getTime() - now.getTime();
        for (let k = 0; k < 16 && span > 0; k++) {
          const sample = new Date(now.getTime() + Math.floor((span * k) / 16));
          expect(activeWindows(windows, sample).length).toBeGreaterThan(0);
        }
        if (span > 0) expect(activeWindows(windows, new Date(until.getTime() - 1)).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
