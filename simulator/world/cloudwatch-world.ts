import {
  InvalidNextToken,
  ResourceNotFoundException,
  type AlarmHistoryItem,
  type CompositeAlarm,
  type DescribeAlarmHistoryInput,
  type DescribeAlarmsInput,
  type MetricAlarm,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import { ACCOUNT, REGION } from './aws-event';
import { alarmConfiguration, hasReasonData, muteDetail, type AlarmKind } from './alarm-shapes';
import { page, type PageSizes } from './paging';
import type { World } from './world';

export type AlarmSpec = {
  name: string;
  /** The account it lives in (default: the guard's own). */
  account?: string;
  state: StateValue;
  tags?: Record<string, string>;
  composite?: boolean;
  /** Copied into `detail.alarmTags` of its events, as CloudWatch does when tag propagation is on. */
  propagateTags?: boolean;
  /** The shape of `detail.configuration` in its events; composite alarms are `composite`. */
  kind?: AlarmKind;
  /** Its events carry `muteDetail`. */
  muted?: boolean;
};

/**
 * `transitionedAt` is StateTransitionedTimestamp (the state value last changed); `updatedAt` is
 * StateUpdatedTimestamp, which CloudWatch also moves on updates that keep the value (any state update of a
 * composite alarm).
 */
type Alarm = AlarmSpec & { arn: string; updatedAt: Date; transitionedAt: Date; reason: string };

const invalidToken = (token: string) =>
  new InvalidNextToken({ message: `Invalid NextToken ${token}`, $metadata: {} });

/** Dev alarms: their state, their full state history, and the state-change events they emit. */
export class AlarmsModel {
  readonly alarms = new Map<string, Alarm>();
  readonly history: AlarmHistoryItem[] = [];
  /** The scenario's smaller pages (`world.pageSizes`). */
  pageSizes: PageSizes = {};

  constructor(private readonly world: World) {}

  add(spec: AlarmSpec): void {
    this.alarms.set(spec.name, {
      ...spec,
      arn: `arn:aws:cloudwatch:${REGION}:${spec.account ?? ACCOUNT}:alarm:${spec.name}`,
      updatedAt: this.world.clock.now(),
      transitionedAt: this.world.clock.now(),
      reason: 'Unchecked: Initial alarm creation',
    });
  }

  set(name: string, state: StateValue, reason = `Simulated: ${state}`): void {
    const alarm = this.alarms.get(name);
    if (!alarm) throw new Error(`scenario sets unknown alarm ${name}`);
    const now = this.world.clock.now();
    if (alarm.state === state) {
      // A composite alarm's re-evaluation that keeps its value is still a state update: no event, no history.
      if (kindOf(alarm) === 'composite') Object.assign(alarm, { updatedAt: now, reason });
      return;
    }
    const previous = { value: alarm.state, timestamp: alarm.transitionedAt, reason: alarm.reason };
    Object.assign(alarm, { state, updatedAt: now, transitionedAt: now, reason });
    this.history.push({
      AlarmName: name,
      AlarmType: kindOf(alarm) === 'composite' ? 'CompositeAlarm' : 'MetricAlarm',
      Timestamp: now,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${previous.value} to ${state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: previous.value, stateReason: previous.reason },
        newState: { stateValue: state, stateReason: reason },
      }),
    });
    this.world.awsEventIn(accountOf(alarm), 'aws.cloudwatch', 'CloudWatch Alarm State Change', [alarm.arn], {
      alarmName: name,
      ...(alarm.propagateTags && alarm.tags ? { alarmTags: alarm.tags } : {}),
      state: {
        value: state,
        reason,
        ...(hasReasonData(kindOf(alarm))
          ? { reasonData: JSON.stringify({ version: '1.0', recentDatapoints: [] }) }
          : {}),
        timestamp: cwTime(now),
      },
      previousState: {
        value: previous.value,
        reason: previous.reason,
        timestamp: cwTime(previous.timestamp),
      },
      ...(alarm.muted ? { muteDetail: muteDetail(now) } : {}),
      configuration: alarmConfiguration(kindOf(alarm), name),
    });
  }

  /** DescribeAlarms in one account: metric alarms only unless `AlarmTypes` asks for composite ones; by name, paged. */
  describe(
    i: DescribeAlarmsInput,
    account: string = ACCOUNT,
  ): {
    MetricAlarms: MetricAlarm[];
    CompositeAlarms: CompositeAlarm[];
    NextToken?: string;
  } {
    const types = i.AlarmTypes?.length ? i.AlarmTypes : ['MetricAlarm'];
    const picked = [...this.alarms.values()]
      .filter((a) => accountOf(a) === account)
      .filter((a) => types.includes(kindOf(a) === 'composite' ? 'CompositeAlarm' : 'MetricAlarm'))
      .filter((a) => !i.AlarmNamePrefix || a.name.startsWith(i.AlarmNamePrefix))
      .filter((a) => !i.AlarmNames?.length || i.AlarmNames.includes(a.name))
      .filter((a) => !i.StateValue || a.state === i.StateValue)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const { items, next } = page(
      picked,
      'DescribeAlarms',
      i.MaxRecords,
      i.NextToken,
      this.pageSizes,
      invalidToken,
    );
    const view = (a: Alarm) => ({
      AlarmName: a.name,
      AlarmArn: a.arn,
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: a.updatedAt,
      StateTransitionedTimestamp: a.transitionedAt,
    });
    return {
      MetricAlarms: items.filter((a) => kindOf(a) !== 'composite').map(view),
      CompositeAlarms: items
        .filter((a) => kindOf(a) === 'composite')
        .map((a) => ({ ...view(a), AlarmRule: String(alarmConfiguration('composite', a.name).alarmRule) })),
      NextToken: next,
    };
  }

  /** DescribeAlarmHistory: metric alarms only unless `AlarmTypes` says otherwise; newest first unless `ScanBy`. */
  historyPage(
    i: DescribeAlarmHistoryInput,
    account: string = ACCOUNT,
  ): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    const types = i.AlarmTypes?.length ? i.AlarmTypes : ['MetricAlarm'];
    const inAccount = (name: string | undefined) => {
      const alarm = this.alarms.get(name ?? '');
      return alarm !== undefined && accountOf(alarm) === account;
    };
    const matching = this.history
      .filter((h) => inAccount(h.AlarmName))
      .filter((h) => !i.AlarmName || h.AlarmName === i.AlarmName)
      .filter((h) => types.includes(h.AlarmType!))
      .filter((h) => !i.HistoryItemType || h.HistoryItemType === i.HistoryItemType)
      .filter(
        (h) => (!i.StartDate || h.Timestamp! >= i.StartDate) && (!i.EndDate || h.Timestamp! <= i.EndDate),
      );
    const ordered = i.ScanBy === 'TimestampAscending' ? matching : [...matching].reverse();
    const { items, next } = page(
      ordered,
      'DescribeAlarmHistory',
      i.MaxRecords,
      i.NextToken,
      this.pageSizes,
      invalidToken,
    );
    return { AlarmHistoryItems: items, NextToken: next };
  }

  /** ListTagsForResource: only an alarm of the caller's account (another account's ARN is not found there). */
  tagsOf(arn: string, account: string = ACCOUNT): { Key: string; Value: string }[] {
    const alarm = [...this.alarms.values()].find((a) => a.arn === arn && accountOf(a) === account);
    if (!alarm) throw new ResourceNotFoundException({ message: `${arn} not found`, $metadata: {} });
    return Object.entries(alarm?.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  }
}

export const accountOf = (alarm: AlarmSpec): string => alarm.account ?? ACCOUNT;

const kindOf = (alarm: AlarmSpec): AlarmKind => alarm.kind ?? (alarm.composite ? 'composite' : 'metric');

/** CloudWatch writes event timestamps as 2019-10-02T17:04:40.989+0000. */
function cwTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}
