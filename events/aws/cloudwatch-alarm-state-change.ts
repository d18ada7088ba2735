import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { alarmName, awsTime, freeText, isWellFormed } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';

export const CLOUDWATCH_SOURCE = 'aws.cloudwatch';
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

export const alarmStateValues = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

const alarmState = /* @__PURE__ */ once(() =>
  z.looseObject({
    value: z.enum(alarmStateValues),
    reason: z.optional(freeText(1023)),
    // JSON string; absent for initial creation and for Metrics Insights multi-time-series alarms.
    reasonData: z.optional(freeText(4000)),
    timestamp: awsTime,
  }),
);

/** Metric, metric-math, anomaly-detection, composite and Metrics Insights alarms differ only in `configuration`. */
export const alarmStateChangeDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    alarmName,
    state: alarmState(),
    previousState: z.optional(z.partial(alarmState())),
    configuration: z.optional(z.looseObject({})),
    // CloudWatch tags: keys ≤ 128, values ≤ 256, at most 50.
    alarmTags: z.optional(
      z
        .record(
          z.string().check(z.minLength(1), z.maxLength(128), z.refine(isWellFormed)),
          z.string().check(z.maxLength(256), z.refine(isWellFormed)),
        )
        .check(z.refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags')),
    ),
    muteDetail: z.optional(z.looseObject({})),
  }),
);

export const alarmStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CLOUDWATCH_SOURCE, ALARM_STATE_CHANGE, alarmStateChangeDetail()),
);
export type AlarmStateChange = z.infer<typeof alarmStateChange>;
export type AlarmStateValue = (typeof alarmStateValues)[number];

export function alarmStatePattern(): EventPattern {
  return { source: [CLOUDWATCH_SOURCE], 'detail-type': [ALARM_STATE_CHANGE] };
}
