import { findPipeline, type GuardConfig } from '../../config/schema';
import { stageExecutionStateChange } from '../../events/aws/codepipeline-stage-execution-state-change';
import { bakeStarted } from '../../events/guard/bake-started';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import type { Ledger, ReleaseRecord } from '../../lib/aws/ledger';
import { decisionKeyOf, type Outbox } from '../../lib/aws/outbox';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import type { BakeTimers } from '../../lib/aws/scheduler';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { decideBake, type BakeDecision } from './decide-bake';

export type BakeStartDeps = {
  config: GuardConfig;
  codepipeline: Pick<CodePipelineGateway, 'getExecution'>;
  ledger: Pick<Ledger, 'recordRelease'>;
  /** The rollback's records: whether this execution is the guard's own restore (handlers/rollback). */
  restores: Pick<RollbackLedger, 'getRestore'>;
  timers: Pick<BakeTimers, 'createBakeTimer'>;
  outbox: Outbox;
  logger: GuardLogger;
  now: () => Date;
};

/**
 * Dev succeeded for execution E: remember when, and set E's one-time bake timer. The timer and the ledger
 * are the guard's own state, so observe mode writes them too; it only never writes to the pipeline. A guard
 * restore of a Prod failure gets no timer (promote approves it at the gate); BakeStarted says which restore.
 */
export function makeHandler(deps: BakeStartDeps) {
  return reaction('bake-start', stageExecutionStateChange, deps.logger, async (event) => {
    const { detail } = event;
    const pipeline = findPipeline(deps.config, detail.pipeline);
    if (!pipeline || detail.stage !== pipeline.devStage || detail.state !== 'SUCCEEDED') {
      deps.logger.info('Not a Dev success of a guarded pipeline', {
        pipeline: detail.pipeline,
        stage: detail.stage,
      });
      return;
    }
    const execution = await deps.codepipeline.getExecution(pipeline, detail['execution-id']);
    const restore = await deps.restores.getRestore(pipeline.name, detail['execution-id']);
    const decision = decideBake({
      pipeline: pipeline.name,
      executionId: detail['execution-id'],
      devSucceededAt: new Date(event.time),
      execution,
      bakeMinutes: pipeline.bakeMinutes ?? deps.config.bakeMinutes,
      restore,
      prodStage: pipeline.prodStage,
      now: deps.now(),
    });
    deps.logger.info('Bake decision', { decision });
    const key = decisionKeyOf(pipeline.name, 'bake', decision.release.executionId);

    if ((await startBake(deps, decision.release, decision.timer)) === 'duplicate') {
      await deps.outbox.flush(key);
      return;
    }
    // Without a timer (a restore that passes the gate unbaked), a duplicate finds this announcement staged
    // under the same key: one message per decision.
    await deps.outbox.announce(key, bakeStarted, {
      ...decision.release,
      mode: deps.config.mode,
      bakeMinutes: decision.bakeMinutes,
      ...(decision.timer ? { timerName: decision.timer.name } : {}),
      ...(decision.restore ? { restore: decision.restore } : {}),
    });
  });
}

/**
 * Records the release (promote's approval names its commit, even a restore's) and creates its timer, if it
 * bakes; a duplicate Dev success finds either already done.
 */
async function startBake(
  deps: BakeStartDeps,
  release: ReleaseRecord,
  timer: BakeDecision['timer'],
): Promise<'started' | 'duplicate'> {
  const recorded = await deps.ledger.recordRelease(release);
  if (recorded === 'exists' && deps.now() >= new Date(release.bakeEndsAt)) {
    // The timer of this bake has fired and deleted itself: a duplicate now must not start a second bake.
    deps.logger.info('Duplicate Dev success after the bake ended', { executionId: release.executionId });
    return 'duplicate';
  }
  if (!timer) return 'started';
  const created = await deps.timers.createBakeTimer(timer.name, timer.fireAt, {
    pipeline: release.pipeline,
    executionId: release.executionId,
    commitId: release.commitId,
    devSucceededAt: release.devSucceededAt,
    bakeEndsAt: release.bakeEndsAt,
  });
  if (created === 'exists') {
    deps.logger.info('Bake timer already exists: a duplicate Dev success', { timer: timer.name });
    return 'duplicate';
  }
  return 'started';
}
