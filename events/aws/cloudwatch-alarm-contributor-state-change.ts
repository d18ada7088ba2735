import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { freeText } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';
import { alarmStateChangeDetail, CLOUDWATCH_SOURCE } from './cloudwatch-alarm-state-change';

export const ALARM_CONTRIBUTOR_STATE_CHANGE = 'CloudWatch Alarm Contributor State Change';

/**
 * One contributor (a time series of a Metrics Insights multi-time-series alarm) changed state. The guard treats it
 * as its parent alarm (`alarmName`) firing; `alarmContributor` says which series.
 */
export const alarmContributorStateChangeDetail = /* @__PURE__ */ once(() =>
  z.extend(alarmStateChangeDetail(), {
    alarmContributor: z.optional(
      z.looseObject({
        id: z.optional(freeText(1024)),
        attributes: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  }),
);

export const alarmContributorStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CLOUDWATCH_SOURCE, ALARM_CONTRIBUTOR_STATE_CHANGE, alarmContributorStateChangeDetail()),
);
export type AlarmContributorStateChange = z.infer<typeof alarmContributorStateChange>;

export function alarmContributorStatePattern(): EventPattern {
  return { source: [CLOUDWATCH_SOURCE], 'detail-type': [ALARM_CONTRIBUTOR_STATE_CHANGE] };
}
