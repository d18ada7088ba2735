import { describe, expect, it } from 'vitest';

import { freezeSchema } from '../../../config/freeze-schema';

/** The issues of a rejected `freeze` value, each as "key.path: message". */
function issuesOf(raw: unknown): string[] {
  const result = freezeSchema().safeParse(raw);
  if (result.success) throw new Error('expected the freeze config to be rejected');
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const weekend = () => ({ name: 'weekend', from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Europe/Berlin' });

describe('freezeSchema', () => {
  it('accepts windows over the week end, within a day, and calendars by name or ARN', () => {
    // Prepare
    const raw = {
      windows: [
        weekend(),
        { from: 'Wed 12:00', to: 'Wed 13:30', timeZone: 'America/New_York' },
        { from: 'Mon 10:00', to: 'Mon 08:00', timeZone: 'UTC' },
      ],
      changeCalendars: ['leadout-prod', 'arn:aws:ssm:eu-west-1:111122223333:document/company-holidays'],
    };

    // Act
    const parsed = freezeSchema().parse(raw);

    // Assess
    expect(parsed).toEqual(raw);
  });

  it('accepts no freeze at all', () => {
    expect(freezeSchema().parse({})).toEqual({});
  });

  it.each([
    ['Friday 16:00', 'windows.0.from'],
    ['Fri 4pm', 'windows.0.from'],
    ['fri 16:00', 'windows.0.from'],
    ['Fri 24:00', 'windows.0.from'],
    ['Fri 16:60', 'windows.0.from'],
    ['Fri 6:00', 'windows.0.from'],
  ])('rejects the time %j naming %s', (from, key) => {
    expect(issuesOf({ windows: [{ ...weekend(), from }] })).toEqual([
      `${key}: a weekday Mon..Sun and a 24 h time HH:MM, such as "Fri 16:00"`,
    ]);
  });

  it('rejects a bad end time naming windows.1.to', () => {
    expect(issuesOf({ windows: [weekend(), { ...weekend(), to: 'Mon 8:00' }] })).toEqual([
      'windows.1.to: a weekday Mon..Sun and a 24 h time HH:MM, such as "Fri 16:00"',
    ]);
  });

  it.each(['Europe/Berlinn', 'CEST', '+01:00', ''])('rejects the time zone %j naming the key', (zone) => {
    expect(issuesOf({ windows: [{ ...weekend(), timeZone: zone }] })).toEqual([
      `windows.0.timeZone: an IANA time zone such as Europe/Berlin: ${JSON.stringify(zone)} is not one`,
    ]);
  });

  it('rejects a window whose end equals its start', () => {
    expect(issuesOf({ windows: [{ ...weekend(), to: 'Fri 16:00' }] })).toEqual([
      'windows.0.to: equals from (Fri 16:00): a window needs a length',
    ]);
  });

  it('rejects windows that together cover the whole week', () => {
    // Prepare
    const windows = [
      { from: 'Mon 00:00', to: 'Fri 00:00', timeZone: 'UTC' },
      { from: 'Thu 12:00', to: 'Mon 00:00', timeZone: 'UTC' },
    ];

    // Act / Assess
    expect(issuesOf({ windows })).toEqual([
      'windows: the windows cover the whole week: the gate would never open',
    ]);
  });

  it('rejects a name with other characters, and unknown keys', () => {
    expect(issuesOf({ windows: [{ ...weekend(), name: 'week/end' }] })).toEqual([
      'windows.0.name: letters, digits, space and _ . - only',
    ]);
    expect(issuesOf({ windows: [{ ...weekend(), until: 'Mon' }] })).toEqual([
      'windows.0: Unrecognized key: "until"',
    ]);
  });

  it.each([
    'ab',
    'a'.repeat(129),
    'leadout prod',
    'arn:aws:ssm:eu-west-1:111122223333:parameter/leadout',
    'arn:aws:ssm:eu-west-1:1111:document/leadout-prod',
  ])('rejects the Change Calendar %j naming its index', (name) => {
    expect(issuesOf({ changeCalendars: ['leadout-prod', name] })).toEqual([
      'changeCalendars.1: an SSM Change Calendar document name (3–128 of letters, digits, _ . -) or its ARN ' +
        '(arn:aws:ssm:<region>:<account>:document/<name>)',
    ]);
  });

  it('rejects a Change Calendar named twice', () => {
    expect(issuesOf({ changeCalendars: ['leadout-prod', 'leadout-prod'] })).toEqual([
      'changeCalendars: each Change Calendar once',
    ]);
  });
});
