import { findPipeline, type GuardConfig } from '../../config/schema';
import { stageExecutionStateChange } from '../../events/aws/codepipeline-stage-execution-state-change';
import { bakeStarted } from '../../events/guard/bake-started';
import { guardFailed } from '../../events/guard/guard-failed';
import { announcement, type Actor } from '../../lib/act/act';
import type { Intent } from '../../lib/act/intent';
import { decisionKeyOf, type DecisionKey } from '../../lib/act/journal';
import type { CodePipelineGateway, ExecutionFacts } from '../../lib/aws/codepipeline';
import type { RestoreRecord, RollbackLedger } from '../../lib/aws/rollback-ledger';
import { bakeTimerEffect, recordReleaseEffect } from '../../lib/effects/bake';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { decideBake, type BakeDecision } from './decide-bake';

export type BakeStartDeps = {
  config: GuardConfig;
  codepipeline: Pick<CodePipelineGateway, 'getExecution'>;
  /** The rollback's records: whether this execution is the guard's own restore (handlers/rollback). */
  restores: Pick<RollbackLedger, 'getRestore'>;
  /** Carries out and announces each decision once (lib/act). */
  actor: Actor;
  logger: GuardLogger;
  now: () => Date;
};

/**
 * Dev succeeded for execution E: remember when, and set E's one-time bake timer. The timer and the ledger
 * are the guard's own state, so observe mode writes them too; it only never writes to the pipeline. A guard
 * restore of a Prod failure gets no timer (promote approves it at the gate); BakeStarted says which restore.
 * One decision per execution (the journal key): a duplicate Dev success, even after the timer fired, is silent.
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
    const executionId = detail['execution-id'];
    const key = decisionKeyOf(pipeline.name, 'bake', executionId);
    const invocation = { reaction: 'bake-start', eventId: event.id };
    let facts: { execution: ExecutionFacts; restore: RestoreRecord | undefined };
    try {
      facts = {
        execution: await deps.codepipeline.getExecution(pipeline, executionId),
        restore: await deps.restores.getRestore(pipeline.name, executionId),
      };
    } catch (error) {
      await deps.actor.couldNotDecide(key, error, invocation, {
        mode: deps.config.mode,
        pipeline: pipeline.name,
        executionId,
        consequence: `no bake was started for ${executionId}: the gate will not approve it; approve its Prod gate by hand after the bake`,
      });
      return;
    }
    const decision = decideBake({
      pipeline: pipeline.name,
      executionId,
      devSucceededAt: new Date(event.time),
      execution: facts.execution,
      bakeMinutes: pipeline.bakeMinutes ?? deps.config.bakeMinutes,
      restore: facts.restore,
      prodStage: pipeline.prodStage,
      freezeWindows: deps.config.freeze?.windows,
      now: deps.now(),
    });
    deps.logger.info('Bake decision', { decision });
    await deps.actor.act(key, bakeIntent(deps, key, decision), invocation);
  });
}

function bakeIntent(deps: BakeStartDeps, key: DecisionKey, decision: BakeDecision): Intent {
  const { release, timer } = decision;
  const primary = announcement(key, bakeStarted, {
    ...release,
    mode: deps.config.mode,
    bakeMinutes: decision.bakeMinutes,
    ...(timer ? { timerName: timer.name } : {}),
    ...(decision.restore ? { restore: decision.restore } : {}),
  });
  const fallback = announcement(key, guardFailed, {
    mode: deps.config.mode,
    reaction: 'bake-start',
    pipeline: release.pipeline,
    executionId: release.executionId,
    error: { name: 'BakeNotStarted', message: 'the bake could not be started' },
    consequence: `the bake of ${release.executionId} is not fully set up`,
  });
  const effects = [recordReleaseEffect(release)];
  const payload = {
    pipeline: release.pipeline,
    executionId: release.executionId,
    commitId: release.commitId,
    devSucceededAt: release.devSucceededAt,
    bakeEndsAt: release.bakeEndsAt,
  };
  if (timer) {
    effects.push(bakeTimerEffect({ name: timer.name, fireAt: timer.fireAt.toISOString(), payload }));
  }
  if (decision.openTimer) {
    // Not essential: without it the reconciler approves the baked execution within reconcileMinutes of the opening.
    effects.push(
      bakeTimerEffect(
        { name: decision.openTimer.name, fireAt: decision.openTimer.fireAt.toISOString(), payload },
        { id: 'open-timer', essential: false },
      ),
    );
  }
  return { primary, fallback, effects };
}
