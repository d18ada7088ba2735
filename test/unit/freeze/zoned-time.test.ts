import { describe, expect, it } from 'vitest';

import { firstInstantShowing, formatLocal, isKnownTimeZone } from '../../../lib/freeze/zoned-time';

describe('formatLocal', () => {
  it.each([
    ['2026-11-30T07:00:00Z', 'Europe/Berlin', 'Mon 2026-11-30 08:00 CET'],
    ['2026-03-30T06:00:00Z', 'Europe/Berlin', 'Mon 2026-03-30 08:00 CEST'],
    ['2026-11-02T11:00:00Z', 'America/New_York', 'Mon 2026-11-02 06:00 EST'],
    ['2026-07-01T00:30:00Z', 'Asia/Kolkata', 'Wed 2026-07-01 06:00 GMT+5:30'],
    ['2026-11-30T07:00:59Z', 'UTC', 'Mon 2026-11-30 07:00 UTC'],
  ])('%s in %s reads %s', (instant, zone, text) => {
    expect(formatLocal(new Date(instant), zone)).toBe(text);
  });
});

describe('firstInstantShowing', () => {
  it('a local time once: its instant; twice: the first; never: the jump', () => {
    const berlin = (h: number, m: number, day: number, month: number) =>
      new Date(firstInstantShowing(Date.UTC(2026, month - 1, day, h, m), 'Europe/Berlin')).toISOString();
    expect(berlin(8, 0, 30, 11)).toBe('2026-11-30T07:00:00.000Z');
    expect(berlin(2, 30, 25, 10)).toBe('2026-10-25T00:30:00.000Z');
    expect(berlin(2, 30, 29, 3)).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('isKnownTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Mars/Olympus', false],
    ['+01:00', false],
    ['', false],
  ])('%j: %s', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
  });
});
