import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { measureDecision, type Measurement } from './measure-decision';

export type MetricsDeps = { publish: (measurement: Measurement) => void; logger: GuardLogger };

/**
 * Counts every decision as release-safety metrics (embedded metric format: a log line CloudWatch turns into
 * metrics). Apart from the notifier on purpose: no Slack outage or retry can skew or delay the numbers.
 */
export function makeHandler(deps: MetricsDeps) {
  return reaction('metrics', decisionEvent, deps.logger, async (event) => {
    deps.publish(measureDecision(event as DecisionEvent));
  });
}
