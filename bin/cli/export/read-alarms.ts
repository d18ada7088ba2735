import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type AlarmHistoryItem,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmSelector } from '../../../config/schema';
import { readCall } from './read-calls';

export type AlarmRecord = {
  name: string;
  arn?: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  stateValue: string;
  stateUpdatedAt?: Date;
  tags?: Record<string, string>;
  history: AlarmHistoryItem[];
};

/** Metric and composite alarms both: DescribeAlarms and DescribeAlarmHistory return metric alarms only without it. */
const BOTH = ['MetricAlarm', 'CompositeAlarm'] as const;

/** The Dev alarms a selector picks (as the guard picks them), each with its state changes between from and to. */
export async function readAlarms(
  client: CloudWatchClient,
  selector: AlarmSelector,
  from: Date,
  to: Date,
  progress: (line: string) => void,
): Promise<AlarmRecord[]> {
  const selected = await selectAlarms(client, selector);
  for (const [i, alarm] of selected.entries()) {
    let NextToken: string | undefined;
    do {
      const page = await readCall('cloudwatch:DescribeAlarmHistory', alarm.name, () =>
        client.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarm.name,
            AlarmTypes: [...BOTH],
            HistoryItemType: 'StateUpdate',
            StartDate: from,
            EndDate: to,
            MaxRecords: 100,
            NextToken,
          }),
        ),
      );
      alarm.history.push(...(page.AlarmHistoryItems ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    progress(
      `alarms: history of ${i + 1}/${selected.length} (${alarm.name}: ${alarm.history.length} changes)`,
    );
  }
  return selected;
}

async function selectAlarms(client: CloudWatchClient, selector: AlarmSelector): Promise<AlarmRecord[]> {
  const found: AlarmRecord[] = [];
  let NextToken: string | undefined;
  do {
    const page = await readCall('cloudwatch:DescribeAlarms', selector.namePrefix ?? 'all alarms', () =>
      client.send(
        new DescribeAlarmsCommand({
          AlarmTypes: [...BOTH],
          MaxRecords: 100,
          NextToken,
          ...(selector.namePrefix ? { AlarmNamePrefix: selector.namePrefix } : {}),
        }),
      ),
    );
    for (const [type, alarms] of [
      ['MetricAlarm', page.MetricAlarms ?? []],
      ['CompositeAlarm', page.CompositeAlarms ?? []],
    ] as const) {
      for (const a of alarms) {
        found.push({
          name: a.AlarmName!,
          ...(a.AlarmArn ? { arn: a.AlarmArn } : {}),
          type,
          stateValue: a.StateValue ?? 'INSUFFICIENT_DATA',
          ...(a.StateUpdatedTimestamp ? { stateUpdatedAt: a.StateUpdatedTimestamp } : {}),
          history: [],
        });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  if (!selector.tags) return found;
  const wanted = Object.entries(selector.tags);
  const picked: AlarmRecord[] = [];
  for (const alarm of found) {
    const { Tags } = await readCall('cloudwatch:ListTagsForResource', alarm.name, () =>
      client.send(new ListTagsForResourceCommand({ ResourceARN: alarm.arn })),
    );
    const tags = Object.fromEntries((Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    if (wanted.every(([k, v]) => tags[k] === v)) picked.push({ ...alarm, tags });
  }
  return picked;
}
