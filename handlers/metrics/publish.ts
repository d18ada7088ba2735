import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Measurement } from './measure-decision';

/** One EMF record per decision, stamped with the decision's time rather than the delivery's. */
export function publishWith(
  metrics: Pick<Metrics, 'addDimensions' | 'addMetric' | 'setTimestamp' | 'publishStoredMetrics'>,
) {
  return (m: Measurement): void => {
    metrics.addDimensions(m.dimensions);
    for (const metric of m.metrics) metrics.addMetric(metric.name, metric.unit, metric.value);
    metrics.setTimestamp(new Date(m.at));
    metrics.publishStoredMetrics();
  };
}
