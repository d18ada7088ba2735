import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  formatGuardReason,
  isGuardReason,
  parseGuardReason,
  REASON_CHARS,
  reasonSafeName,
  type GuardReason,
} from '../../lib/transition-reason';

const SINCE = new Date('2026-11-27T14:05:42.123Z');

describe('the guard transition reason', () => {
  it.each([
    [
      'a plain name',
      { alarmName: 'api-5xx', state: 'ALARM', since: SINCE },
      'release-guard (dev alarm api-5xx in ALARM since 2026-11-27 14.05 UTC)',
    ],
    [
      'underscores, slashes, colons and commas rewritten',
      { alarmName: 'leadout_dev/api:5xx,p99', state: 'ALARM', since: SINCE },
      'release-guard (dev alarm leadout-dev-api-5xx-p99 in ALARM since 2026-11-27 14.05 UTC)',
    ],
    [
      'parentheses rewritten so the form stays parseable',
      { alarmName: 'api (prod) 5xx', state: 'ALARM', since: SINCE },
      'release-guard (dev alarm api -prod- 5xx in ALARM since 2026-11-27 14.05 UTC)',
    ],
    [
      'INSUFFICIENT_DATA without the underscore',
      { alarmName: 'latency', state: 'INSUFFICIENT_DATA', since: SINCE },
      'release-guard (dev alarm latency in INSUFFICIENT-DATA since 2026-11-27 14.05 UTC)',
    ],
  ] as const)('formats %s', (_case, reason, expected) => {
    expect(formatGuardReason(reason as GuardReason)).toBe(expected);
  });

  it('shortens a 255-character alarm name to fit 300 characters', () => {
    const reason = formatGuardReason({
      alarmName: 'a'.repeat(255),
      state: 'INSUFFICIENT_DATA',
      since: SINCE,
    });
    expect(reason).toHaveLength(300);
    expect(parseGuardReason(reason)?.state).toBe('INSUFFICIENT_DATA');
  });

  it('reads its own form back: name as written, state, time to the minute', () => {
    const text = 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-11-27 14.05 UTC)';
    expect(parseGuardReason(text)).toEqual({
      alarmName: 'leadout-dev-api-5xx',
      state: 'ALARM',
      since: new Date('2026-11-27T14:05:00Z'),
    });
  });

  it.each([
    undefined,
    '',
    'Release freeze for the customer demo',
    'release-guard',
    'release-guard (dev alarm api-5xx in OK since 2026-11-27 14.05 UTC)',
    'release-guard (dev alarm api-5xx in ALARM since 2026-11-27 14.05 UTC) - and a note',
    'hold: release-guard (dev alarm api-5xx in ALARM since 2026-11-27 14.05 UTC)',
    'release-guard (dev alarm  in ALARM since 2026-11-27 14.05 UTC)',
    'release-guard (dev alarm api-5xx in ALARM since 2026-13-45 14.05 UTC)',
  ])('does not claim %j', (text) => {
    expect(isGuardReason(text)).toBe(false);
  });

  it('always fits CodePipeline and always reads back as its own (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 255, unit: 'binary' }),
        fc.constantFrom<GuardReason['state']>('ALARM', 'INSUFFICIENT_DATA'),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (alarmName, state, since) => {
          const text = formatGuardReason({ alarmName, state, since });
          expect(text.length).toBeGreaterThanOrEqual(1);
          expect(text.length).toBeLessThanOrEqual(300);
          expect(text).toMatch(REASON_CHARS);
          const back = parseGuardReason(text);
          expect(back?.state).toBe(state);
          expect(back?.since.getTime()).toBe(Math.floor(since.getTime() / 60_000) * 60_000);
          expect(reasonSafeName(alarmName).startsWith(back!.alarmName)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('fits CodePipeline whatever the date: out of range, invalid, far past and future (property)', () => {
    // Prepare: any Date a timestamp can become, including year 275760 and an invalid Date
    const anyDate = fc.oneof(
      fc.date({ noInvalidDate: false }),
      fc.constantFrom(new Date(8.64e15), new Date(-8.64e15), new Date(Number.NaN), new Date('1900-01-01')),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), anyDate, (alarmName, since) => {
        // Act
        const text = formatGuardReason({ alarmName, state: 'ALARM', since });
        // Assess
        expect(text.length).toBeLessThanOrEqual(300);
        expect(text).toMatch(REASON_CHARS);
        expect(isGuardReason(text)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never claims a reason a person writes without the exact form (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        fc.pre(!text.startsWith('release-guard (dev alarm '));
        expect(isGuardReason(text)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});
