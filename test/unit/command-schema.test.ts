import { describe, expect, it } from 'vitest';

import { parseCommandBody } from '../../lib/command/command-schema';

const NOW = new Date('2026-12-01T10:00:00Z');
const EXECUTION = '3f2a9c1e-7b4d-4e8f-a1c2-9d0e8f7a6b5c';

describe('parseCommandBody', () => {
  it.each([
    [{ command: 'hold', pipeline: 'leadout', reason: 'odd 5xx in Dev', until: '2026-12-04T16:00:00Z' }],
    [{ command: 'hold', pipeline: 'leadout', reason: 'odd 5xx', until: '2026-12-04T17:00:00+01:00' }],
    [{ command: 'hold', pipeline: 'leadout', reason: 'odd 5xx' }],
    [{ command: 'release-hold', pipeline: 'leadout' }],
    [{ command: 'release-hold', pipeline: 'leadout', reason: 'fixed' }],
    [
      {
        command: 'promote-now',
        pipeline: 'leadout',
        reason: 'hotfix',
        execution: EXECUTION,
        despiteAlarm: true,
      },
    ],
    [{ command: 'promote-now', pipeline: 'leadout', reason: 'hotfix' }],
    [{ command: 'lift-block', pipeline: 'leadout', reason: 'alarm is noise' }],
    [{ command: 'rollback-now', pipeline: 'leadout', reason: 'tiles broken' }],
    [{ command: 'status' }],
    [{ command: 'status', pipeline: 'leadout' }],
  ])('accepts %j', (body) => {
    expect(parseCommandBody(body, NOW)).toEqual({ ok: true, command: body });
  });

  it('trims the reason', () => {
    expect(
      parseCommandBody({ command: 'lift-block', pipeline: 'p', reason: '  noise  ' }, NOW),
    ).toMatchObject({
      command: { reason: 'noise' },
    });
  });

  it.each([
    [{ command: 'hold', pipeline: 'leadout' }, 'reason: required for hold'],
    [{ command: 'promote-now', pipeline: 'leadout' }, 'reason: required for promote-now'],
    [{ command: 'lift-block', pipeline: 'leadout' }, 'reason: required for lift-block'],
    [{ command: 'rollback-now', pipeline: 'leadout' }, 'reason: required for rollback-now'],
    [{ command: 'release-hold' }, 'pipeline: required for release-hold'],
    [{ command: 'hold', pipeline: 'leadout', reason: '   ' }, 'reason: must not be empty'],
    [
      { command: 'hold', pipeline: 'leadout', reason: 'x'.repeat(301) },
      'reason: must be at most 300 characters',
    ],
    [{ command: 'hold', pipeline: 'leadout', reason: 'a\nb' }, 'reason: must not contain control characters'],
    [{ command: 'hold', pipeline: 'lead out', reason: 'r' }, 'pipeline: must be 1-100 characters'],
    [{ command: 'hold', pipeline: 'p'.repeat(101), reason: 'r' }, 'pipeline: must be 1-100 characters'],
    [
      { command: 'hold', pipeline: 'p', reason: 'r', until: '2026-12-01T09:59:59Z' },
      'until: must be in the future',
    ],
    [
      { command: 'hold', pipeline: 'p', reason: 'r', until: '2026-12-15T10:00:01Z' },
      'until: must be at most 14 days',
    ],
    [
      { command: 'hold', pipeline: 'p', reason: 'r', until: '2026-12-04T16:00:00' },
      'until: must be an ISO-8601 time',
    ],
    [{ command: 'hold', pipeline: 'p', reason: 'r', until: 'friday' }, 'until: must be an ISO-8601 time'],
    [
      { command: 'promote-now', pipeline: 'p', reason: 'r', execution: 'latest' },
      'execution: must be a pipeline',
    ],
    [
      { command: 'promote-now', pipeline: 'p', reason: 'r', despiteAlarm: 'yes' },
      'despiteAlarm: must be true or',
    ],
    [
      { command: 'promote-now', pipeline: 'p', reason: 'r', until: '2026-12-02T00:00:00Z' },
      'until: not a field of',
    ],
    [{ command: 'hold', pipeline: 'p', reason: 'r', by: 'dana' }, 'by: not a field of hold'],
    [{ command: 'status', caller: 'arn:aws:iam::111111111111:role/Admin' }, 'caller: not a field of status'],
    [{ command: 'deploy', pipeline: 'p' }, 'command: must be one of hold, release-hold'],
    [{ pipeline: 'p' }, 'command: must be one of'],
    ['hold', 'body: must be a JSON object with a command'],
    [[{ command: 'status' }], 'body: must be a JSON object with a command'],
  ])('refuses %j naming the field', (body, message) => {
    const parsed = parseCommandBody(body, NOW);

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('an unparseable until gets one message, not three', () => {
    expect(parseCommandBody({ command: 'hold', pipeline: 'p', reason: 'r', until: 'soon' }, NOW)).toEqual({
      ok: false,
      message: 'until: must be an ISO-8601 time with a zone, e.g. 2026-12-04T16:00:00Z',
    });
  });
});
