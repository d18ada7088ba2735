import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';
import type { MetricClaims } from '../../lib/aws/metric-claims';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { measureDecision, type Measurement } from './measure-decision';

export type MetricsDeps = {
  publish: (measurement: Measurement) => void;
  claims: Pick<MetricClaims, 'claim'>;
  logger: GuardLogger;
};

/**
 * Counts every decision as release-safety metrics (embedded metric format: a log line CloudWatch turns into
 * metrics). Apart from the notifier on purpose: no Slack outage or retry can skew or delay the numbers.
 * Once per decision: a copy with the same decision key (or a redelivery of the same event) is not counted.
 */
export function makeHandler(deps: MetricsDeps) {
  return reaction('metrics', decisionEvent, deps.logger, async (parsed) => {
    const event = parsed as DecisionEvent;
    const detail = event.detail as { pipeline?: string; decisionKey?: string };
    const key = detail.decisionKey ?? `event ${event.id}`;
    if (!(await deps.claims.claim(detail.pipeline, key))) {
      deps.logger.info('Decision already counted: a duplicate', { eventId: event.id, decisionKey: key });
      return;
    }
    deps.publish(measureDecision(event));
  });
}
