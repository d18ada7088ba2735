import type { GuardedPipeline } from '../../config/schema';
import { scheduledEvent } from '../../events/aws/scheduled-event';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import type { AlarmReader } from '../../lib/aws/cloudwatch';
import type { GuardBus } from '../../lib/aws/guard-bus';
import type { Ledger } from '../../lib/aws/ledger';
import { decisionKeyOf } from '../../lib/aws/outbox';
import type { ProdTransition } from '../../lib/aws/prod-transition';
import { describeError } from '../../lib/errors';
import { reaction } from '../../lib/reaction';
import { actOnGate, type GateActDeps } from '../alarm-gate/act-on-gate';
import { decisionKey } from '../alarm-gate/decide-gate';
import { decideReconcile, type ReconcileDecision, type ReconcileInput } from './decide-reconcile';

export type ReconcileDeps = GateActDeps & {
  transitions: Pick<ProdTransition, 'getProdView' | 'disableProdInbound' | 'enableProdInbound'>;
  alarms: Pick<AlarmReader, 'selectedAlarms'>;
  ledger: Pick<Ledger, 'getRelease' | 'claimDecision'>;
  /** BakeTimerFired: a request to the promote function, not a decision. */
  bus: GuardBus;
  now: () => Date;
};

export class ReconcileError extends Error {
  override name = 'ReconcileError';
}

/**
 * Every few minutes: converge each guarded pipeline to what its alarms and its gate say now. One pipeline's
 * AWS error does not stop the others; the run fails at the end so the error shows in the function's metrics.
 */
export function makeHandler(deps: ReconcileDeps) {
  return reaction('reconcile', scheduledEvent, deps.logger, async () => {
    const failed: string[] = [];
    for (const pipeline of deps.config.pipelines) {
      try {
        await reconcilePipeline(deps, pipeline);
      } catch (error) {
        deps.logger.error('Reconciling a pipeline failed', {
          pipeline: pipeline.name,
          error: describeError(error),
        });
        failed.push(pipeline.name);
      }
    }
    if (failed.length > 0) throw new ReconcileError(`reconciling ${failed.join(', ')} failed`);
  });
}

/** Reads: GetPipelineState, DescribeAlarms (+ tags on a cold start), GetItem only when an approval waits. */
async function reconcilePipeline(deps: ReconcileDeps, pipeline: GuardedPipeline): Promise<void> {
  const input: ReconcileInput = {
    view: await deps.transitions.getProdView(pipeline),
    alarms: await deps.alarms.selectedAlarms(pipeline.devAlarms),
    release: 'not-loaded',
    insufficientData: deps.config.insufficientData,
    now: deps.now(),
  };
  let decision: ReconcileDecision = decideReconcile(input);
  if (decision.kind === 'need-release') {
    input.release = await deps.ledger.getRelease(pipeline.name, decision.executionId);
    decision = decideReconcile(input);
  }
  deps.logger.info('Reconcile decision', { decision, pipeline: pipeline.name });
  if (decision.kind === 'need-release') return;
  if (decision.kind === 'promote-due') {
    // Choreography: the promote function owns approvals; a BakeTimerFired asks it to decide now.
    const { executionId, devSucceededAt, bakeEndsAt, commitId, commitMessage } = decision.release;
    await deps.bus.emit(bakeTimerFired, {
      pipeline: pipeline.name,
      executionId,
      devSucceededAt,
      bakeEndsAt,
      commitId,
      commitMessage,
      trigger: 'reconciler',
    });
    return;
  }
  const key = decisionKey(decision, input.view);
  await actOnGate(deps, pipeline, decision, {
    trigger: 'reconciler',
    decisionKey: key,
    // Its next run finds the state converged and flushes nothing: each run's announcement is its own.
    announceKey: decisionKeyOf(pipeline.name, key, 'reconciler', input.now.toISOString()),
    now: input.now,
  });
}
