import * as z from '../../lib/zod';
import { findPipeline, type GuardConfig, type GuardedPipeline } from '../../config/schema';
import { scheduledEvent } from '../../events/aws/scheduled-event';
import { promotionBlocked } from '../../events/guard/promotion-blocked';
import type { BakeTimerSweeper } from '../../lib/aws/bake-timer-sweep';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { decideTimerSweep, timerPrefix, type SweepTrigger } from './decide-timer-sweep';

export type BakeTimerSweepDeps = {
  config: GuardConfig;
  timers: BakeTimerSweeper;
  codepipeline: Pick<CodePipelineGateway, 'getGateState'>;
  logger: GuardLogger;
  now: () => Date;
};

const sweepTriggers = /* @__PURE__ */ z.lazy(() => z.union([promotionBlocked.event, scheduledEvent]));

/**
 * Stops bake timers that can no longer lead to an approval: all of a pipeline's pending timers when the guard
 * blocks it (a subscriber of PromotionBlocked, so the alarm gate needs no Scheduler client), and on a schedule
 * the timers of executions that are neither at the gate nor waiting to enter Prod (rejected, superseded, failed). Timers are the guard's own state, so
 * observe mode sweeps too, except after an observe-mode block, which closed nothing.
 */
export function makeHandler(deps: BakeTimerSweepDeps) {
  return reaction('bake-timer-sweep', sweepTriggers, deps.logger, async (event) => {
    if (event['detail-type'] === promotionBlocked.detailType) {
      const detail = event.detail as z.output<typeof promotionBlocked.detail>;
      const pipeline = findPipeline(deps.config, detail.pipeline);
      if (!pipeline || detail.mode === 'observe') return;
      await sweep(deps, pipeline, { kind: 'blocked', at: new Date(event.time) });
      return;
    }
    for (const pipeline of deps.config.pipelines) {
      const gate = await deps.codepipeline.getGateState(pipeline);
      const mayPromote = [...(gate.waiting ? [gate.waiting.executionId] : []), ...gate.prodInbound];
      await sweep(deps, pipeline, { kind: 'schedule', mayPromote, now: deps.now() });
    }
  });
}

async function sweep(
  deps: BakeTimerSweepDeps,
  pipeline: GuardedPipeline,
  trigger: SweepTrigger,
): Promise<void> {
  const pending = await deps.timers.pendingTimers(timerPrefix(pipeline.name));
  const useless = decideTimerSweep(pipeline.name, trigger, pending);
  const decision =
    useless.length > 0
      ? { kind: 'delete-timers', trigger: trigger.kind, timers: useless }
      : { kind: 'ignore', reason: `none of ${pending.length} pending bake timers is useless` };
  deps.logger.info('Bake timer sweep decision', { decision, pipeline: pipeline.name });
  for (const name of useless) await deps.timers.deleteTimer(name);
}
