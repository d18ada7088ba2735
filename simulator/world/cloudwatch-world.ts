import type { AlarmHistoryItem, CompositeAlarm, MetricAlarm, StateValue } from '@aws-sdk/client-cloudwatch';
import { ACCOUNT, REGION } from './aws-event';
import { alarmConfiguration, hasReasonData, muteDetail, type AlarmKind } from './alarm-shapes';
import type { World } from './world';

export type AlarmSpec = {
  name: string;
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

type Alarm = AlarmSpec & { arn: string; updatedAt: Date; reason: string };

/** Dev alarms: their state, their full state history, and the state-change events they emit. */
export class AlarmsModel {
  readonly alarms = new Map<string, Alarm>();
  readonly history: AlarmHistoryItem[] = [];

  constructor(private readonly world: World) {}

  add(spec: AlarmSpec): void {
    this.alarms.set(spec.name, {
      ...spec,
      arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${spec.name}`,
      updatedAt: this.world.clock.now(),
      reason: 'Unchecked: Initial alarm creation',
    });
  }

  set(name: string, state: StateValue, reason = `Simulated: ${state}`): void {
    const alarm = this.alarms.get(name);
    if (!alarm) throw new Error(`scenario sets unknown alarm ${name}`);
    if (alarm.state === state) return;
    const previous = { value: alarm.state, timestamp: alarm.updatedAt, reason: alarm.reason };
    const now = this.world.clock.now();
    Object.assign(alarm, { state, updatedAt: now, reason });
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
    this.world.awsEvent('aws.cloudwatch', 'CloudWatch Alarm State Change', [alarm.arn], {
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

  describe(prefix: string | undefined): { MetricAlarms: MetricAlarm[]; CompositeAlarms: CompositeAlarm[] } {
    const picked = [...this.alarms.values()].filter((a) => !prefix || a.name.startsWith(prefix));
    const view = (a: Alarm) => ({
      AlarmName: a.name,
      AlarmArn: a.arn,
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: a.updatedAt,
    });
    return {
      MetricAlarms: picked.filter((a) => kindOf(a) !== 'composite').map(view),
      CompositeAlarms: picked.filter((a) => kindOf(a) === 'composite').map(view),
    };
  }

  historyBetween(name: string | undefined, from?: Date, to?: Date): AlarmHistoryItem[] {
    return this.history
      .filter((h) => !name || h.AlarmName === name)
      .filter((h) => (!from || h.Timestamp! >= from) && (!to || h.Timestamp! <= to))
      .reverse();
  }

  tagsOf(arn: string): { Key: string; Value: string }[] {
    const alarm = [...this.alarms.values()].find((a) => a.arn === arn);
    return Object.entries(alarm?.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  }
}

const kindOf = (alarm: AlarmSpec): AlarmKind => alarm.kind ?? (alarm.composite ? 'composite' : 'metric');

/** CloudWatch writes event timestamps as 2019-10-02T17:04:40.989+0000. */
function cwTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}
