import { describe, expect, it } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import { authorizeSlackAction } from '../../lib/slack/allow';
import { parseSlackRequest } from '../../lib/slack/slack-request';
import { buttonBody, slashBody } from '../../simulator/slack-requests';

const slash = (text: string) =>
  parseSlackRequest(
    Buffer.from(
      slashBody({
        teamId: 'T0A',
        channelId: 'C0B',
        userId: 'U0C',
        userName: 'dana',
        text,
        responseUrl: 'https://hooks.slack.com/commands/1',
        triggerId: 't1',
      }),
    ),
  );

describe('the slash command /release-guard', () => {
  it.each([
    ['', { command: 'status' }],
    ['status', { command: 'status' }],
    ['status leadout', { command: 'status', pipeline: 'leadout' }],
    ['hold leadout odd 5xx in Dev', { command: 'hold', pipeline: 'leadout', reason: 'odd 5xx in Dev' }],
    [
      'hold leadout --until 2026-12-04T16:00:00Z load test',
      { command: 'hold', pipeline: 'leadout', until: '2026-12-04T16:00:00Z', reason: 'load test' },
    ],
    ['release-hold leadout', { command: 'release-hold', pipeline: 'leadout' }],
    [
      'promote-now leadout --despite-alarm hotfix for login',
      { command: 'promote-now', pipeline: 'leadout', despiteAlarm: true, reason: 'hotfix for login' },
    ],
  ])('reads %j', (text, body) => {
    const parsed = slash(text);

    expect(parsed).toMatchObject({ ok: true, action: { via: 'slash', command: body.command, body } });
  });

  it('names the user and keys the action by its trigger id', () => {
    const parsed = slash('status');

    expect(parsed.ok && parsed.action).toMatchObject({
      teamId: 'T0A',
      channelId: 'C0B',
      user: { id: 'U0C', name: 'dana' },
    });
    expect(parsed.ok && parsed.action.actionKey).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('a button press', () => {
  const press = (n: string, ts = '1764756000.000100') =>
    parseSlackRequest(
      Buffer.from(
        buttonBody({
          teamId: 'T0A',
          channelId: 'C0B',
          userId: 'U0C',
          command: 'promote-now',
          value: { p: 'leadout', e: 'e1', n },
          messageTs: ts,
          responseUrl: 'https://hooks.slack.com/actions/1',
        }),
      ),
    );

  it('becomes the command of the button, for the execution of its message, with a reason saying where from', () => {
    expect(press('n1')).toMatchObject({
      ok: true,
      action: {
        via: 'button',
        body: {
          command: 'promote-now',
          pipeline: 'leadout',
          execution: 'e1',
          reason: 'Promote now pressed in Slack',
        },
        message: { ts: '1764756000.000100' },
      },
    });
  });

  it('has one action key per rendered button: a double click shares it, an updated message does not', () => {
    const key = (r: ReturnType<typeof press>) => (r.ok ? r.action.actionKey : undefined);

    expect(key(press('n1'))).toBe(key(press('n1')));
    expect(key(press('n1'))).not.toBe(key(press('n2')));
    expect(key(press('n1'))).not.toBe(key(press('n1', '1764756000.000200')));
  });
});

describe('config slack', () => {
  const base = {
    slackWebhookParameter: '/w',
    pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'x' } }],
  };
  const slack = {
    signingSecretParameter: '/s',
    teamId: 'T0A',
    channelId: 'C0B',
    allow: [{ commands: ['hold'], userGroup: 'S0DEVS' }],
  };

  it('needs the bot token parameter when a rule names a user group, naming the key', () => {
    expect(() => parseGuardConfig({ ...base, slack })).toThrow(
      /slack\.botTokenParameter: required when an allow rule names a userGroup/,
    );
  });

  it('refuses a rule with neither users nor a group, and status in a rule (it is open to the channel)', () => {
    expect(() =>
      parseGuardConfig({
        ...base,
        slack: { ...slack, botTokenParameter: '/t', allow: [{ commands: ['hold'] }] },
      }),
    ).toThrow(/slack\.allow\.0: name users and\/or a userGroup/);
    expect(() =>
      parseGuardConfig({
        ...base,
        slack: { ...slack, botTokenParameter: '/t', allow: [{ commands: ['status'], users: ['U0A'] }] },
      }),
    ).toThrow(/slack\.allow\.0\.commands\.0/);
  });

  it('allows by user id and by group, and status to the channel, never across workspaces', async () => {
    const config = parseGuardConfig({
      ...base,
      slack: {
        ...slack,
        botTokenParameter: '/t',
        allow: [{ commands: ['hold'], users: ['U0A'], userGroup: 'S0DEVS' }],
      },
    }).slack!;
    const members = async () => new Set(['U0G']);
    const who = (userId: string, command: string, teamId = 'T0A') => ({
      teamId,
      channelId: 'C0B',
      userId,
      command,
    });

    expect((await authorizeSlackAction(config, who('U0A', 'hold'), members)).allowed).toBe(true);
    expect((await authorizeSlackAction(config, who('U0G', 'hold'), members)).allowed).toBe(true);
    expect((await authorizeSlackAction(config, who('U0X', 'status'), members)).allowed).toBe(true);
    expect((await authorizeSlackAction(config, who('U0A', 'release-hold'), members)).allowed).toBe(false);
    expect((await authorizeSlackAction(config, who('U0A', 'hold', 'T0Z'), members)).allowed).toBe(false);
    expect((await authorizeSlackAction(config, who('U0X', 'status', 'T0Z'), members)).allowed).toBe(false);
  });
});
