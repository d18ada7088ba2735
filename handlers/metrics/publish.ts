import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Measurement } from './measure-decision';

/** CloudWatch drops EMF records stamped more than 14 days in the past or 2 hours ahead; keep a margin. */
const OLDEST_MS = 13 * 86_400_000;
const NEWEST_MS = 3_600_000;

/**
 * One EMF record per decision, stamped with the decision's time rather than the delivery's, unless CloudWatch
 * would drop that (a redrive from the dead-letter queue weeks later): then with the time of publishing.
 */
export function publishWith(
  metrics: Pick<Metrics, 'addDimensions' | 'addMetric' | 'setTimestamp' | 'publishStoredMetrics'>,
  now: () => number = Date.now,
) {
  return (m: Measurement): void => {
    metrics.addDimensions(m.dimensions);
    for (const metric of m.metrics) metrics.addMetric(metric.name, metric.unit, metric.value);
    const at = Date.parse(m.at);
    const age = now() - at;
    metrics.setTimestamp(age <= OLDEST_MS && age >= -NEWEST_MS ? at : now());
    metrics.publishStoredMetrics();
  };
}
