import type { DecisionEvent } from '../../events/guard/decision-event';

export type MetricUnit = 'Count' | 'Seconds' | 'None';

/** The release-safety metrics of one decision: one dimension set for all of them, at the decision's time. */
export type Measurement = {
  at: string;
  dimensions: Record<string, string>;
  metrics: { name: string; unit: MetricUnit; value: number }[];
};

const count = (name: string) => ({ name, unit: 'Count' as const, value: 1 });

/**
 * Pure: which metrics a decision counts. Dimensions stay few and bounded (pipeline, mode, and one enum of the
 * decision) so the cost of custom metrics stays flat however many releases run.
 */
export function measureDecision(event: DecisionEvent): Measurement {
  const base = (extra: Record<string, string> = {}) => ({
    ...('pipeline' in event.detail && event.detail.pipeline ? { pipeline: event.detail.pipeline } : {}),
    mode: event.detail.mode,
    ...extra,
  });
  const at = event.time;
  switch (event['detail-type']) {
    case 'BakeStarted':
      // A restore of a Prod failure is not baked: it passes the gate at once, so it is no bake.
      return {
        at,
        dimensions: base(),
        metrics: event.detail.restore?.passesGateUnbaked ? [] : [count('BakesStarted')],
      };
    case 'PromotionApproved': {
      const baked = { name: 'BakedMinutes', unit: 'None' as const, value: event.detail.bakedMinutes };
      return { at, dimensions: base(), metrics: [count('PromotionsApproved'), baked] };
    }
    case 'PromotionRejected':
      return {
        at,
        dimensions: base({ reason: event.detail.reason }),
        metrics: [count('PromotionsRejected')],
      };
    case 'PromotionBlocked': {
      const seconds = event.detail.alarmToBlockSeconds;
      const latency =
        seconds === undefined
          ? []
          : [{ name: 'AlarmToBlockSeconds', unit: 'Seconds' as const, value: seconds }];
      return { at, dimensions: base(), metrics: [count('PromotionsBlocked'), ...latency] };
    }
    case 'PromotionUnblocked':
      return {
        at,
        dimensions: base({ outcome: event.detail.outcome }),
        metrics: [count('PromotionsUnblocked')],
      };
    case 'PromotionHeld':
      return { at, dimensions: base(), metrics: [count('PromotionsHeld')] };
    case 'PersonCommand':
      // Who and why are in the message and the decision history; the metric counts commands by kind.
      return {
        at,
        dimensions: base({ command: event.detail.command }),
        metrics: [count('PersonCommands')],
      };
    case 'GateAnsweredByPerson':
      // A person's answer in the console: counted by how they answered (who is in the message and the history).
      return {
        at,
        dimensions: base({ status: event.detail.status }),
        metrics: [count('GateAnsweredByPerson')],
      };
    case 'RollbackStarted':
      return { at, dimensions: base({ path: event.detail.path }), metrics: [count('RollbacksStarted')] };
    case 'RollbackSkipped':
      return { at, dimensions: base({ reason: event.detail.reason }), metrics: [count('RollbacksSkipped')] };
    case 'TileRestartStarted':
      return { at, dimensions: base({ outcome: 'started' }), metrics: [count('TileRestarts')] };
    case 'TileRestartCompleted': {
      const took = {
        name: 'TileRestartSeconds',
        unit: 'Seconds' as const,
        value: event.detail.durationSeconds,
      };
      return { at, dimensions: base({ outcome: 'completed' }), metrics: [count('TileRestarts'), took] };
    }
    case 'TileRestartFailed':
      return { at, dimensions: base({ outcome: 'failed' }), metrics: [count('TileRestarts')] };
    case 'GuardFailed':
      return { at, dimensions: base({ reaction: event.detail.reaction }), metrics: [count('GuardFailures')] };
  }
}
