import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  type DescribeAlarmHistoryCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IncompleteAlarmReadError, makeAlarmReader } from '../../lib/aws/cloudwatch';

const cloudWatch = mockClient(CloudWatchClient);
beforeEach(() => cloudWatch.reset());

const REGION = { region: 'eu-west-1' };
const SINCE = new Date('2026-05-12T09:00:00Z');
const UNTIL = new Date('2026-05-12T10:00:00Z');

const change = (name: string, to: string, at: string) => ({
  AlarmName: name,
  Timestamp: new Date(at),
  HistoryItemType: 'StateUpdate' as const,
  HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: to } }),
});

describe('the alarm history the gate reads', () => {
  it('reads each moved alarm with its own AlarmName filter, keeping only that alarm', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmHistoryCommand).callsFake((input: DescribeAlarmHistoryCommandInput) => ({
      AlarmHistoryItems: [
        change(input.AlarmName!, 'ALARM', '2026-05-12T09:30:00Z'),
        change('somebody-elses-alarm', 'ALARM', '2026-05-12T09:31:00Z'),
      ],
    }));
    const reader = makeAlarmReader(new CloudWatchClient(REGION), new ResourceGroupsTaggingAPIClient(REGION));

    // Act
    const transitions = await reader.transitionsSince(
      ['leadout-dev-api-5xx', 'leadout-dev-latency'],
      SINCE,
      UNTIL,
    );

    // Assess
    expect(
      cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input.AlarmName),
    ).toEqual(['leadout-dev-api-5xx', 'leadout-dev-latency']);
    expect(transitions.map((t) => [t.name, t.to])).toEqual([
      ['leadout-dev-api-5xx', 'ALARM'],
      ['leadout-dev-latency', 'ALARM'],
    ]);
  });

  it('fails closed past five pages of one alarm rather than deciding on part of its history', async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [], NextToken: 'more' });
    const reader = makeAlarmReader(new CloudWatchClient(REGION), new ResourceGroupsTaggingAPIClient(REGION));

    await expect(reader.transitionsSince(['leadout-dev-api-5xx'], SINCE, UNTIL)).rejects.toBeInstanceOf(
      IncompleteAlarmReadError,
    );
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(5);
  });
});

describe('per-alarm reads run side by side, bounded', () => {
  /** Answers after a tick, recording how many calls were in flight at once. */
  function slowly<I, T>(answer: (input: I) => T) {
    const seen = { inFlight: 0, peak: 0 };
    const fake = async (input: I) => {
      seen.inFlight++;
      seen.peak = Math.max(seen.peak, seen.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.inFlight--;
      return answer(input);
    };
    return { seen, fake };
  }
  const names = Array.from({ length: 12 }, (_, i) => `leadout-dev-alarm-${String(i).padStart(2, '0')}`);

  it('reads the history of moved alarms `concurrency` at a time, in the alarms’ order', async () => {
    const { seen, fake } = slowly((input: DescribeAlarmHistoryCommandInput) => ({
      AlarmHistoryItems: [change(input.AlarmName!, 'ALARM', '2026-05-12T09:30:00Z')],
    }));
    cloudWatch.on(DescribeAlarmHistoryCommand).callsFake(fake);
    const reader = makeAlarmReader(new CloudWatchClient(REGION), new ResourceGroupsTaggingAPIClient(REGION), {
      concurrency: 4,
    });

    const transitions = await reader.transitionsSince(names, SINCE, UNTIL);

    expect(transitions.map((t) => t.name)).toEqual(names);
    expect(seen.peak).toBe(4);
  });
});
