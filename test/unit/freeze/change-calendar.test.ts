import { GetCalendarStateCommand, InvalidDocument, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

import { getChangeCalendarState, UnexpectedCalendarAnswerError } from '../../../lib/aws/change-calendar';

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'eu-west-1' });

beforeEach(() => ssm.reset());

describe('getChangeCalendarState', () => {
  it('asks for all calendars at once, at the second given, and reads the next transition', async () => {
    // Prepare
    ssm.on(GetCalendarStateCommand).resolves({
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
    expect(ssm).toHaveReceivedCommandTimes(GetCalendarStateCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetCalendarStateCommand, {
      CalendarNames: ['leadout-prod', 'arn:aws:ssm:eu-west-1:111122223333:document/company-holidays'],
      AtTime: '2026-11-28T10:00:00Z',
    });
  });

  it('leaves AtTime out without a time, and has no transition when AWS gives none', async () => {
    // Prepare
    ssm.on(GetCalendarStateCommand).resolves({ State: 'OPEN', AtTime: '2026-11-28T10:00:00Z' });

    // Act
    const answer = await getChangeCalendarState(client(), ['leadout-prod']);

    // Assess
    expect(answer).toEqual({ state: 'OPEN' });
    expect(ssm.commandCalls(GetCalendarStateCommand)[0]?.args[0].input).toEqual({
      CalendarNames: ['leadout-prod'],
    });
  });

  it('asks nothing for no calendars', async () => {
    await expect(getChangeCalendarState(client(), [])).resolves.toEqual({ state: 'OPEN' });
    expect(ssm).toHaveReceivedCommandTimes(GetCalendarStateCommand, 0);
  });

  it.each([
    [{}, 'answered state undefined'],
    [{ State: 'MAYBE' }, 'answered state MAYBE'],
    [{ State: 'OPEN', NextTransitionTime: 'next Monday' }, 'answered NextTransitionTime next Monday'],
  ])('refuses the answer %j', async (answer, message) => {
    // Prepare
    ssm.on(GetCalendarStateCommand).resolves(answer as never);

    // Act
    const reading = getChangeCalendarState(client(), ['leadout-prod']);

    // Assess
    await expect(reading).rejects.toThrow(UnexpectedCalendarAnswerError);
    await expect(getChangeCalendarState(client(), ['leadout-prod'])).rejects.toThrow(message);
  });

  it('lets an SDK error through with its name', async () => {
    // Prepare
    ssm
      .on(GetCalendarStateCommand)
      .rejects(new InvalidDocument({ message: 'no such calendar', $metadata: {} }));

    // Act
    const reading = getChangeCalendarState(client(), ['leadout-missing']);

    // Assess
    await expect(reading).rejects.toMatchObject({ name: 'InvalidDocument', message: 'no such calendar' });
  });
});
