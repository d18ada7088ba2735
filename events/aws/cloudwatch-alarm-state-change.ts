import * as z from 'zod';
import { envelope, type EventPattern } from '../envelope';

export const CLOUDWATCH_SOURCE = 'aws.cloudwatch';
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

export const alarmStateValues = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

const alarmState = z.looseObject({
  value: z.enum(alarmStateValues),
  reason: z.string().optional(),
  // JSON string; absent for initial creation and for Metrics Insights multi-time-series alarms.
  reasonData: z.string().optional(),
  timestamp: z.string(),
});

/** Metric, metric-math, anomaly-detection, composite and Metrics Insights alarms differ only in `configuration`. */
export const alarmStateChangeDetail = z.looseObject({
  alarmName: z.string().min(1),
  state: alarmState,
  previousState: alarmState.partial().optional(),
  configuration: z.looseObject({}).optional(),
  alarmTags: z.record(z.string(), z.string()).optional(),
  muteDetail: z.looseObject({}).optional(),
});

export const alarmStateChange = envelope(CLOUDWATCH_SOURCE, ALARM_STATE_CHANGE, alarmStateChangeDetail);
export type AlarmStateChange = z.infer<typeof alarmStateChange>;
export type AlarmStateValue = (typeof alarmStateValues)[number];

export function alarmStatePattern(): EventPattern {
  return { source: [CLOUDWATCH_SOURCE], 'detail-type': [ALARM_STATE_CHANGE] };
}
