import { beforeEach, describe, expect, it, vi } from 'vitest';

import { getChangeCalendarState, UnexpectedCalendarAnswerError } from '../../../lib/aws/change-calendar';
import { AwsCallError } from '../../../lib/aws/signed-call';
import type { GetCalendarStateCommand, GetCalendarStateOutput } from '../../../lib/aws/ssm';

/** SSM's side (its wire protocol: test/unit/signed-call.test.ts). */
const send = vi.fn<(command: GetCalendarStateCommand) => Promise<GetCalendarStateOutput>>();
const client = () => ({ send });
const inputs = () => send.mock.calls.map(([command]) => command.input);

beforeEach(() => {
  send.mockReset();
});

describe('getChangeCalendarState', () => {
  it('asks for all calendars at once, at the second given, and reads the next transition', async () => {
    // Prepare
    send.mockResolvedValue({
      State: 'CLOSED',
      AtTime: '2026-11-28T10:00:00Z',
      NextTransitionTime: '2026-11-30T07:00:00Z',
    });

    // Act
    const answer = await getChangeCalendarState(
      client(),
      ['leadout-prod', 'arn:aws:ssm:eu-west-1:111122223333:document/company-holidays'],
      new Date('2026-11-28T10:00:00.250Z'),
    );

    // Assess
    expect(answer).toEqual({ state: 'CLOSED', nextTransitionTime: new Date('2026-11-30T07:00:00Z') });
    expect(inputs()).toEqual([
      {
        CalendarNames: ['leadout-prod', 'arn:aws:ssm:eu-west-1:111122223333:document/company-holidays'],
        AtTime: '2026-11-28T10:00:00Z',
      },
    ]);
  });

  it('leaves AtTime out without a time, and has no transition when AWS gives none', async () => {
    // Prepare
    send.mockResolvedValue({ State: 'OPEN', AtTime: '2026-11-28T10:00:00Z' });

    // Act
    const answer = await getChangeCalendarState(client(), ['leadout-prod']);

    // Assess
    expect(answer).toEqual({ state: 'OPEN' });
    expect(inputs()).toEqual([{ CalendarNames: ['leadout-prod'] }]);
  });

  it('asks nothing for no calendars', async () => {
    await expect(getChangeCalendarState(client(), [])).resolves.toEqual({ state: 'OPEN' });
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    [{}, 'answered state undefined'],
    [{ State: 'MAYBE' }, 'answered state MAYBE'],
    [{ State: 'OPEN', NextTransitionTime: 'next Monday' }, 'answered NextTransitionTime next Monday'],
  ])('refuses the answer %j', async (answer, message) => {
    // Prepare
    send.mockResolvedValue(answer);

    // Act
    const reading = getChangeCalendarState(client(), ['leadout-prod']);

    // Assess
    await expect(reading).rejects.toThrow(UnexpectedCalendarAnswerError);
    await expect(getChangeCalendarState(client(), ['leadout-prod'])).rejects.toThrow(message);
  });

  it('lets an AWS error through with its name', async () => {
    // Prepare
    send.mockRejectedValue(
      new AwsCallError('InvalidDocument', 'no such calendar', { status: 400, attempts: 1 }),
    );

    // Act
    const error = await getChangeCalendarState(client(), ['leadout-missing']).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ name: 'InvalidDocument', message: 'no such calendar' });
  });
});
