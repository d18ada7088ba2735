import * as z from 'zod';
import { alarmName, awsTime, freeText, isWellFormed } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';

export const CLOUDWATCH_SOURCE = 'aws.cloudwatch';
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

export const alarmStateValues = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

const alarmState = z.looseObject({
  value: z.enum(alarmStateValues),
  reason: freeText(1023).optional(),
  // JSON string; absent for initial creation and for Metrics Insights multi-time-series alarms.
  reasonData: freeText(4000).optional(),
  timestamp: awsTime,
});

/** Metric, metric-math, anomaly-detection, composite and Metrics Insights alarms differ only in `configuration`. */
export const alarmStateChangeDetail = z.looseObject({
  alarmName,
  state: alarmState,
  previousState: alarmState.partial().optional(),
  configuration: z.looseObject({}).optional(),
  // CloudWatch tags: keys ≤ 128, values ≤ 256, at most 50.
  alarmTags: z
    .record(z.string().min(1).max(128).refine(isWellFormed), z.string().max(256).refine(isWellFormed))
    .refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags')
    .optional(),
  muteDetail: z.looseObject({}).optional(),
});

export const alarmStateChange = envelope(CLOUDWATCH_SOURCE, ALARM_STATE_CHANGE, alarmStateChangeDetail);
export type AlarmStateChange = z.infer<typeof alarmStateChange>;
export type AlarmStateValue = (typeof alarmStateValues)[number];

export function alarmStatePattern(): EventPattern {
  return { source: [CLOUDWATCH_SOURCE], 'detail-type': [ALARM_STATE_CHANGE] };
}
