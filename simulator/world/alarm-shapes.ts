import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { World } from './world';

/** The shapes of `detail.configuration` CloudWatch puts in alarm events, one per kind of alarm. */
export type AlarmKind = 'metric' | 'metric-math' | 'anomaly-detection' | 'composite' | 'metrics-insights';

const metricStat = (name: string, stat = 'Sum') => ({
  metric: { namespace: 'LeadOut/Dev', name, dimensions: { Service: 'api' } },
  period: 60,
  stat,
});

export function alarmConfiguration(kind: AlarmKind, alarmName: string): Record<string, unknown> {
  switch (kind) {
    case 'composite':
      return {
        alarmRule: `ALARM(${alarmName}-errors) OR ALARM(${alarmName}-latency)`,
        actionsSuppressor: 'leadout-dev-maintenance',
        actionsSuppressorWaitPeriod: 120,
        actionsSuppressorExtensionPeriod: 180,
      };
    case 'metric-math':
      return {
        description: 'Share of 5xx responses over 2 %',
        metrics: [
          { id: 'e1', expression: 'm1 / m2 * 100', label: '5xx share', returnData: true },
          { id: 'm1', metricStat: metricStat('Errors5xx'), returnData: false },
          { id: 'm2', metricStat: metricStat('Requests'), returnData: false },
        ],
      };
    case 'anomaly-detection':
      return {
        description: 'Latency out of its expected band',
        metrics: [
          { id: 'm1', metricStat: metricStat('LatencyP99', 'p99'), returnData: true },
          {
            id: 'ad1',
            expression: 'ANOMALY_DETECTION_BAND(m1, 2)',
            label: 'LatencyP99 (expected)',
            returnData: true,
          },
        ],
      };
    case 'metrics-insights':
      return {
        description: 'Any tile route with more than 10 errors a minute',
        metrics: [
          {
            id: 'q1',
            expression: 'SELECT SUM(Errors) FROM "LeadOut/Dev" GROUP BY Route ORDER BY SUM() DESC LIMIT 10',
            period: 60,
            returnData: true,
          },
        ],
      };
    case 'metric':
      return { metrics: [{ id: 'm1', metricStat: metricStat('Errors'), returnData: true }] };
  }
}

/** Metrics Insights multi-time-series alarms carry no reasonData. */
export const hasReasonData = (kind: AlarmKind): boolean => kind !== 'metrics-insights';

/** CloudWatch adds `muteDetail` to the events of an alarm under an alarm mute rule. */
export function muteDetail(now: Date): Record<string, unknown> {
  return {
    mutedByArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm-mute-rule:leadout-dev-deploy-window',
    muteWindowStart: new Date(now.getTime() - 10 * 60_000).toISOString().replace('Z', '+0000'),
    muteWindowEnd: new Date(now.getTime() + 50 * 60_000).toISOString().replace('Z', '+0000'),
  };
}

/** A `CloudWatch Alarm Contributor State Change`: one time series of a Metrics Insights alarm changed state. */
export function emitContributorChange(
  world: World,
  alarm: {
    name: string;
    arn: string;
    account?: string;
    tags?: Record<string, string>;
    propagateTags?: boolean;
  },
  contributor: { id: string; state: StateValue; attributes: Record<string, string> },
): void {
  const now = world.clock.now();
  world.awsEventIn(
    alarm.account,
    'aws.cloudwatch',
    'CloudWatch Alarm Contributor State Change',
    [alarm.arn],
    {
      alarmName: alarm.name,
      ...(alarm.propagateTags && alarm.tags ? { alarmTags: alarm.tags } : {}),
      alarmContributor: { id: contributor.id, attributes: contributor.attributes },
      state: {
        value: contributor.state,
        reason: `Contributor ${contributor.id} went to ${contributor.state}`,
        timestamp: now.toISOString().replace('Z', '+0000'),
      },
      configuration: alarmConfiguration('metrics-insights', alarm.name),
    },
  );
}
