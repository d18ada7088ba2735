import * as z from '../../lib/zod';
import { findPipeline, type GuardConfig, type GuardedPipeline } from '../../config/schema';
import { actionExecutionStateChange } from '../../events/aws/codepipeline-action-execution-state-change';
import {
  PIPELINE_EXECUTION_STATE_CHANGE,
  pipelineExecutionStateChange,
} from '../../events/aws/codepipeline-pipeline-execution-state-change';
import {
  STAGE_EXECUTION_STATE_CHANGE,
  stageExecutionStateChange,
} from '../../events/aws/codepipeline-stage-execution-state-change';
import { personCommand, type PersonCommand } from '../../events/guard/person-command';
import type { Actor, Invocation } from '../../lib/act/act';
import { decisionKeyOf } from '../../lib/act/journal';
import type { RollbackPipeline } from '../../lib/aws/rollback-codepipeline';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { actOnRollback, rollbackKey } from './act-on-rollback';
import {
  decideRollbackNow,
  historyHoldsCurrentAndBefore,
  type RollbackNowInput,
} from './decide-rollback-now';
import {
  decideRollback,
  type FailureRef,
  type RollbackDecision,
  type RollbackInput,
} from './decide-rollback';
import { historyIsEnough } from './last-known-good';

export type RollbackDeps = {
  config: GuardConfig;
  codepipeline: RollbackPipeline;
  ledger: Pick<RollbackLedger, 'getRestore'>;
  /** Carries out and announces each decision once (lib/act). */
  actor: Actor;
  logger: GuardLogger;
  now: () => Date;
};

/** Pipeline states that end an execution without success; stage and action events count only when FAILED. */
const ENDED = new Set(['FAILED', 'SUPERSEDED', 'CANCELED', 'STOPPED']);

const failureTriggers = /* @__PURE__ */ z.lazy(() =>
  z.union([pipelineExecutionStateChange, stageExecutionStateChange, actionExecutionStateChange]),
);

const rollbackTriggers = /* @__PURE__ */ z.lazy(() => z.union([failureTriggers, personCommand.event]));

/**
 * An execution of a guarded pipeline ended without success: restore the last known good release, once. And a
 * person's rollback-now (PersonCommand on the guard's bus, recorded by the command function): the same restore
 * from the release now in Prod.
 */
export function makeHandler(deps: RollbackDeps) {
  return reaction('rollback', rollbackTriggers, deps.logger, async (event) => {
    if (event['detail-type'] === personCommand.detailType) {
      await rollbackNow(deps, event.detail as PersonCommand, { reaction: 'rollback', eventId: event.id });
      return;
    }
    const ref = readTrigger(event as z.output<typeof failureTriggers>);
    const pipeline = findPipeline(deps.config, ref.pipeline);
    if (!pipeline || !isRelevant(ref, pipeline)) {
      deps.logger.info('Not an ended execution of a guarded pipeline', { ref });
      return;
    }
    const invocation = { reaction: 'rollback', eventId: event.id };
    if (ref.state === 'FAILED' && (await alreadyDecided(deps, pipeline, ref, invocation))) return;
    let outcome: Awaited<ReturnType<typeof decide>>;
    try {
      outcome = await decide(deps, pipeline, ref);
    } catch (error) {
      // Fail closed: nothing is restored on partial facts. Retried while Lambda can; then one report per failure.
      const key = rollbackKey(pipeline, ref);
      await deps.actor.couldNotDecide(key, error, invocation, {
        mode: deps.config.mode,
        pipeline: pipeline.name,
        executionId: ref.executionId,
        consequence:
          'nothing restored: check the pipeline and, if the release failed, restore the last good release by hand',
      });
      return;
    }
    deps.logger.info('Rollback decision', { decision: outcome.decision, ref });
    await actOnRollback(deps, pipeline, ref, outcome, invocation);
  });
}

/**
 * One failure reaches this function three times (action, stage and pipeline FAILED events) plus EventBridge's
 * duplicates, all under one decision key. Whichever comes after the decision was recorded looks at the journal
 * first (one read) and stops there: announced, it is a duplicate; recorded but unfinished, it carries that intent
 * on (an earlier attempt's, which may have died); held by a live invocation, it is retried later. Only the first
 * view gathers the facts. Views delivered at the same moment still each gather them, and the journal's conditional
 * intent keeps them to one decision, as before.
 */
async function alreadyDecided(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
  invocation: Invocation,
): Promise<boolean> {
  return (await deps.actor.resume(rollbackKey(pipeline, ref), invocation)) !== 'none';
}

function readTrigger(event: z.output<typeof failureTriggers>): FailureRef {
  const ref = {
    pipeline: event.detail.pipeline,
    executionId: event.detail['execution-id'],
    state: event.detail.state,
  };
  if (event['detail-type'] === PIPELINE_EXECUTION_STATE_CHANGE) return ref;
  if (event['detail-type'] === STAGE_EXECUTION_STATE_CHANGE) return { ...ref, stage: event.detail.stage };
  const d = event.detail;
  return {
    ...ref,
    stage: d.stage,
    action: {
      stage: d.stage,
      action: d.action,
      category: d.type.category,
      summary: d['execution-result']?.['external-execution-summary'],
    },
  };
}

function isRelevant(ref: FailureRef, pipeline: GuardedPipeline): boolean {
  if (ref.stage === undefined) return ENDED.has(ref.state);
  return ref.state === 'FAILED' && [pipeline.devStage, pipeline.prodStage].includes(ref.stage);
}

export type RollbackOutcome = { decision: RollbackDecision; facts: RollbackInput };

/** Asks the pure decision what it needs next and reads just that, until it decides. */
async function decide(
  deps: RollbackDeps,
  pipeline: GuardedPipeline,
  ref: FailureRef,
): Promise<RollbackOutcome> {
  const facts: RollbackInput = {
    ref,
    deployingStages: [pipeline.devStage, pipeline.prodStage],
    restoreMark: 'not-loaded',
  };
  const cp = deps.codepipeline;
  for (;;) {
    const decision = decideRollback(facts);
    switch (decision.kind) {
      case 'need-execution':
        facts.execution = await cp.getExecution(pipeline.name, ref.executionId);
        break;
      case 'need-restore-mark':
        facts.restoreMark = await deps.ledger.getRestore(pipeline.name, ref.executionId);
        break;
      case 'need-failed-actions':
        facts.failedActions = await cp.failedActions(pipeline.name, ref.executionId);
        break;
      case 'need-history':
        facts.history = await cp.history(pipeline.name, historyIsEnough(ref.executionId));
        break;
      case 'need-target':
        facts.target = await cp.getExecution(pipeline.name, decision.executionId);
        break;
      default:
        return { decision, facts };
    }
  }
}

/** A person's rollback-now: decide it as a rollback from the release now in Prod, and act on it once. */
async function rollbackNow(deps: RollbackDeps, command: PersonCommand, invocation: Invocation) {
  const pipeline = findPipeline(deps.config, command.pipeline);
  if (command.command !== 'rollback-now' || command.outcome !== 'requested' || !pipeline) {
    deps.logger.info('Not a rollback-now of a guarded pipeline', { command: command.command });
    return;
  }
  const request = { pipeline: pipeline.name, by: command.by, reason: command.reason ?? '' };
  // The request's own key (the PersonCommand's, less its pipeline): a skip answers that one request.
  const request_ = (command.decisionKey ?? invocation.eventId).replace(`${pipeline.name} rollback-now `, '');
  const requestKey = decisionKeyOf(pipeline.name, 'rollback-now-answer', request_);
  const facts: RollbackNowInput = {
    request,
    prodStage: pipeline.prodStage,
    deployingStages: [pipeline.devStage, pipeline.prodStage],
    restoreMark: 'not-loaded',
  };
  let decision: ReturnType<typeof decideRollbackNow>;
  try {
    for (;;) {
      decision = decideRollbackNow(facts);
      const current = facts.history && facts.history.summaries.find((s) => s.status === 'Succeeded');
      if (decision.kind === 'need-current-history') {
        facts.history = await deps.codepipeline.history(pipeline.name, historyHoldsCurrentAndBefore);
      } else if (decision.kind === 'need-execution') {
        facts.execution = await deps.codepipeline.getExecution(pipeline.name, current!.executionId);
      } else if (decision.kind === 'need-restore-mark') {
        facts.restoreMark = await deps.ledger.getRestore(pipeline.name, current!.executionId);
      } else if (decision.kind === 'need-target') {
        facts.target = await deps.codepipeline.getExecution(pipeline.name, decision.executionId);
      } else break;
    }
  } catch (error) {
    await deps.actor.couldNotDecide(requestKey, error, invocation, {
      mode: deps.config.mode,
      pipeline: pipeline.name,
      consequence: `the rollback-now of ${pipeline.name} requested by ${command.by} did nothing: run it again, or restore the last good release by hand`,
    });
    return;
  }
  const current = facts.execution?.executionId ?? '';
  const ref: FailureRef = {
    pipeline: pipeline.name,
    executionId: current,
    state: 'SUCCEEDED',
    stage: pipeline.prodStage,
  };
  deps.logger.info('Rollback-now decision', { decision, ref, by: command.by });
  await actOnRollback(
    deps,
    pipeline,
    ref,
    { decision: decision as RollbackDecision, facts: { ...facts, ref } },
    invocation,
    { ...request, key: requestKey },
  );
}
