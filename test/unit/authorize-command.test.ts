import { describe, expect, it } from 'vitest';

import { authorizeCommand, peopleSchema, principalMatches, type People } from '../../lib/command/authorize';

const DEV_ROLE = 'arn:aws:iam::111111111111:role/Developer';
const PEOPLE: People = {
  allow: [
    { principals: [DEV_ROLE], commands: ['hold', 'release-hold'] },
    {
      principals: [
        'arn:aws:sts::111111111111:assumed-role/ReleaseManager/*',
        'arn:aws:iam::111111111111:user/ops/erin',
      ],
      commands: ['promote-now', 'lift-block', 'rollback-now', 'hold', 'release-hold'],
    },
    { principals: ['arn:aws:sts::111111111111:assumed-role/OnCall/pager.*'], commands: ['rollback-now'] },
  ],
};
const caller = (arn: string) => ({ arn, accountId: arn.split(':')[4] ?? '' });

describe('principalMatches', () => {
  it.each([
    // role ARN ⇒ any session of that role, whatever the role's path
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/Developer/dana.kowalski', true],
    [
      'arn:aws:iam::111111111111:role/teams/web/Developer',
      'arn:aws:sts::111111111111:assumed-role/Developer/dana',
      true,
    ],
    [DEV_ROLE, 'arn:aws:sts::222222222222:assumed-role/Developer/dana', false],
    [DEV_ROLE, 'arn:aws-cn:sts::111111111111:assumed-role/Developer/dana', false],
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/DeveloperAdmin/dana', false],
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/developer/dana', false],
    [DEV_ROLE, 'arn:aws:iam::111111111111:role/Developer', false],
    [DEV_ROLE, 'arn:aws:iam::111111111111:user/Developer', false],
    // forged-looking: a session part containing `/` is no shape STS produces
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/Developer/x/assumed-role/Admin/y', false],
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/Developer/', false],
    [DEV_ROLE, 'arn:aws:sts::111111111111:assumed-role/Developer', false],
    // session patterns
    [
      'arn:aws:sts::111111111111:assumed-role/ReleaseManager/*',
      'arn:aws:sts::111111111111:assumed-role/ReleaseManager/sam',
      true,
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/ReleaseManager/*',
      'arn:aws:sts::111111111111:assumed-role/ReleaseManager/a/b',
      false,
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/OnCall/pager.*',
      'arn:aws:sts::111111111111:assumed-role/OnCall/pager.ann',
      true,
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/OnCall/pager.*',
      'arn:aws:sts::111111111111:assumed-role/OnCall/ann',
      false,
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/OnCall/ann',
      'arn:aws:sts::111111111111:assumed-role/OnCall/ann',
      true,
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/OnCall/ann',
      'arn:aws:sts::111111111111:assumed-role/OnCall/anna',
      false,
    ],
    // users: exactly, path included
    ['arn:aws:iam::111111111111:user/ops/erin', 'arn:aws:iam::111111111111:user/ops/erin', true],
    ['arn:aws:iam::111111111111:user/ops/erin', 'arn:aws:iam::111111111111:user/erin', false],
    ['arn:aws:iam::111111111111:user/ops/erin', 'arn:aws:iam::222222222222:user/ops/erin', false],
    ['arn:aws:iam::111111111111:user/ops/erin', 'arn:aws:sts::111111111111:assumed-role/ops/erin', false],
    // a user ARN never matches a role rule, nor the root
    [DEV_ROLE, 'arn:aws:iam::111111111111:root', false],
    [DEV_ROLE, 'arn:aws:sts::111111111111:federated-user/Developer', false],
  ])('%s ~ %s → %s', (pattern, arn, expected) => {
    expect(principalMatches(pattern, arn)).toBe(expected);
  });
});

describe('authorizeCommand', () => {
  it.each([
    ['arn:aws:sts::111111111111:assumed-role/Developer/dana', 'hold', true],
    ['arn:aws:sts::111111111111:assumed-role/Developer/dana', 'release-hold', true],
    ['arn:aws:sts::111111111111:assumed-role/Developer/dana', 'promote-now', false],
    ['arn:aws:sts::111111111111:assumed-role/ReleaseManager/sam', 'promote-now', true],
    ['arn:aws:iam::111111111111:user/ops/erin', 'lift-block', true],
    ['arn:aws:sts::111111111111:assumed-role/OnCall/pager.ann', 'rollback-now', true],
    ['arn:aws:sts::111111111111:assumed-role/OnCall/pager.ann', 'hold', false],
    ['arn:aws:sts::222222222222:assumed-role/ReleaseManager/sam', 'promote-now', false],
    ['arn:aws:sts::111111111111:assumed-role/Reader/sam', 'status', true],
  ] as const)('%s %s → %s', (arn, command, allowed) => {
    expect(authorizeCommand(PEOPLE, caller(arn), command).allowed).toBe(allowed);
  });

  it('names the rule that allowed, and the caller refused', () => {
    expect(
      authorizeCommand(PEOPLE, caller('arn:aws:sts::111111111111:assumed-role/Developer/dana'), 'hold'),
    ).toEqual({
      allowed: true,
      command: 'hold',
      caller: 'arn:aws:sts::111111111111:assumed-role/Developer/dana',
      rule: DEV_ROLE,
    });
    expect(
      authorizeCommand(
        PEOPLE,
        caller('arn:aws:sts::111111111111:assumed-role/Developer/dana'),
        'rollback-now',
      ),
    ).toMatchObject({
      allowed: false,
      reason: 'arn:aws:sts::111111111111:assumed-role/Developer/dana may not run rollback-now',
    });
  });

  it('without people only status is allowed', () => {
    const dana = caller('arn:aws:sts::111111111111:assumed-role/Developer/dana');

    expect(authorizeCommand(undefined, dana, 'status').allowed).toBe(true);
    for (const command of ['hold', 'release-hold', 'promote-now', 'lift-block', 'rollback-now'] as const) {
      expect(authorizeCommand(undefined, dana, command)).toMatchObject({
        allowed: false,
        reason: 'no people are configured: only status is allowed',
      });
    }
  });
});

describe('peopleSchema', () => {
  it('accepts the documented example', () => {
    expect(peopleSchema().safeParse(PEOPLE).success).toBe(true);
  });

  it.each([
    ['a wildcard in the role name', 'arn:aws:sts::111111111111:assumed-role/Dev*/x'],
    ['a wildcard in a role ARN', 'arn:aws:iam::111111111111:role/Dev*'],
    ['a wildcard mid-session', 'arn:aws:sts::111111111111:assumed-role/Developer/*x'],
    ['a wildcard account', 'arn:aws:iam::*:role/Developer'],
    ['a bare *', '*'],
    ['the root user', 'arn:aws:iam::111111111111:root'],
    ['an empty session', 'arn:aws:sts::111111111111:assumed-role/Developer/'],
    ['a short account', 'arn:aws:iam::1111:role/Developer'],
  ])('refuses %s', (_name, principal) => {
    const parsed = peopleSchema().safeParse({ allow: [{ principals: [principal], commands: ['hold'] }] });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['allow', 0, 'principals', 0]);
  });

  it.each([
    ['an unknown command', { allow: [{ principals: [DEV_ROLE], commands: ['deploy'] }] }],
    ['no commands', { allow: [{ principals: [DEV_ROLE], commands: [] }] }],
    ['an unknown key', { allow: [{ principals: [DEV_ROLE], commands: ['hold'], accounts: ['1'] }] }],
    ['an empty allow', { allow: [] }],
  ])('refuses %s', (_name, people) => {
    expect(peopleSchema().safeParse(people).success).toBe(false);
  });
});
