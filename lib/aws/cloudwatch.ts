import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { ALARM_READ_CONCURRENCY, type AlarmSelector } from '../../config/schema';
import type { AlarmStateValue } from '../../events/aws/cloudwatch-alarm-state-change';
import { mapBounded } from '../bounded';
import { IncompleteAlarmReadError } from './alarm-read-error';
import { alarmsTagged, type TaggingSender } from './alarm-tags';

export { IncompleteAlarmReadError } from './alarm-read-error';

export type CloudWatchSender = Pick<CloudWatchClient, 'send'>;

export type AlarmNow = { name: string; arn?: string; state: AlarmStateValue; since?: Date; reason?: string };
export type AlarmTransition = { name: string; at: Date; from?: AlarmStateValue; to: AlarmStateValue };

const MAX_PAGES = 5;

/**
 * Reads the Dev alarms a selector picks: their state now, and every state change since a moment. Per-alarm history
 * reads run `concurrency` at a time (config `alarmReadConcurrency`), in the alarms' order. A tag selector's tags
 * come from `tagging` (Resource Groups Tagging API, the same account and Region as `client`) in one paginated read.
 */
export function makeAlarmReader(
  client: CloudWatchSender,
  tagging: TaggingSender,
  { concurrency = ALARM_READ_CONCURRENCY }: { concurrency?: number } = {},
) {
  const tagCache = new Map<string, Record<string, string>>();

  async function tagsOf(arn: string): Promise<Record<string, string>> {
    const cached = tagCache.get(arn);
    if (cached) return cached;
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    const tags = Object.fromEntries((Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    tagCache.set(arn, tags);
    return tags;
  }

  async function historyOf(name: string, since: Date, until: Date): Promise<AlarmTransition[]> {
    const transitions: AlarmTransition[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(
        new DescribeAlarmHistoryCommand({
          AlarmName: name,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          HistoryItemType: 'StateUpdate',
          StartDate: since,
          EndDate: until,
          MaxRecords: 100,
          NextToken,
        }),
      );
      for (const item of out.AlarmHistoryItems ?? []) {
        if (item.AlarmName !== name || !item.Timestamp) continue;
        const change = parseHistoryData(item.HistoryData);
        if (change) transitions.push({ name, at: item.Timestamp, ...change });
      }
      NextToken = out.NextToken;
      if (!NextToken) return transitions;
    }
    throw new IncompleteAlarmReadError(
      `more than ${MAX_PAGES} pages of ${name}'s history since ${since.toISOString()}`,
    );
  }

  async function describeAlarms(namePrefix: string | undefined): Promise<AlarmNow[]> {
    const alarms: AlarmNow[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: namePrefix,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          MaxRecords: 100,
          NextToken,
        }),
      );
      for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
        if (!a.AlarmName || !a.StateValue) continue;
        alarms.push({
          name: a.AlarmName,
          arn: a.AlarmArn,
          state: a.StateValue,
          // The value's last change; StateUpdatedTimestamp also moves when the value stays (composite alarms),
          // which is later, so falling back to it only costs a history read, never misses a change.
          since: a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp,
          reason: a.StateReason,
        });
      }
      NextToken = out.NextToken;
      if (!NextToken) return alarms;
    }
    throw new IncompleteAlarmReadError(`more than ${MAX_PAGES} pages of alarms match the selector`);
  }

  return {
    /** An alarm's tags, read once per warm Lambda (alarms' tags rarely change; a stale cache only delays). */
    tagsOf,

    /**
     * The selected alarms now. With tags, DescribeAlarms and GetResources run side by side, and an alarm is
     * selected when both list it (GetResources lists only alarms that carry every selected tag).
     */
    async selectedAlarms(selector: AlarmSelector): Promise<AlarmNow[]> {
      // No tags (or `{}`) selects by name alone: GetResources without filters would drop the untagged alarms.
      const byTags = selector.tags && Object.keys(selector.tags).length > 0 ? selector.tags : undefined;
      const [alarms, tagged] = await Promise.all([
        describeAlarms(selector.namePrefix),
        byTags ? alarmsTagged(tagging, byTags) : undefined,
      ]);
      return tagged ? alarms.filter((a) => a.arn !== undefined && tagged.has(a.arn)) : alarms;
    },

    /**
     * State changes of the named alarms from `since` on (history, not a snapshot): one filtered read per alarm,
     * so a busy account's other alarms can never push the history past the page bound.
     */
    async transitionsSince(names: readonly string[], since: Date, until: Date): Promise<AlarmTransition[]> {
      const each = await mapBounded([...new Set(names)], concurrency, (name) =>
        historyOf(name, since, until),
      );
      return each.flat();
    },
  };
}

export type AlarmReader = ReturnType<typeof makeAlarmReader>;

const states = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const asState = (v: unknown): AlarmStateValue | undefined =>
  typeof v === 'string' && states.has(v) ? (v as AlarmStateValue) : undefined;

/** HistoryData of a StateUpdate is JSON with oldState/newState.stateValue. */
function parseHistoryData(
  data: string | undefined,
): { from?: AlarmStateValue; to: AlarmStateValue } | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(data) as {
      oldState?: { stateValue?: unknown };
      newState?: { stateValue?: unknown };
    };
    const to = asState(parsed.newState?.stateValue);
    return to ? { from: asState(parsed.oldState?.stateValue), to } : undefined;
  } catch {
    return undefined;
  }
}
