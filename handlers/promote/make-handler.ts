import * as z from 'zod';
import { findPipeline, type GuardConfig, type GuardedPipeline } from '../../config/schema';
import { actionExecutionStateChange } from '../../events/aws/codepipeline-action-execution-state-change';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import { guardFailed } from '../../events/guard/guard-failed';
import type { AlarmReader } from '../../lib/aws/cloudwatch';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import type { GuardBus } from '../../lib/aws/guard-bus';
import type { Ledger, ReleaseRecord } from '../../lib/aws/ledger';
import type { Outbox } from '../../lib/aws/outbox';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import { describeError } from '../../lib/errors';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { actOnPromotion } from './act-on-promotion';
import {
  decidePromotion,
  type AlarmFacts,
  type PromotionDecision,
  type PromotionInput,
  type PromotionTrigger,
} from './decide-promotion';

export type PromoteDeps = {
  config: GuardConfig;
  codepipeline: Pick<CodePipelineGateway, 'getGateState' | 'answerGate'>;
  alarms: AlarmReader;
  ledger: Pick<Ledger, 'getRelease' | 'claimDecision'>;
  /** The rollback reaction's records: whether the execution at the gate is the guard's own restore. */
  restores: Pick<RollbackLedger, 'getRestore'>;
  /** GuardFailed: each failure is its own report, so it needs no outbox. */
  bus: GuardBus;
  outbox: Outbox;
  logger: GuardLogger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
};

/** The approval token can lag the approval action's start by a few seconds. */
const TOKEN_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

const promotionTriggers = z.union([bakeTimerFired.event, actionExecutionStateChange]);

/** E's bake timer fired, or E reached the Prod gate: approve, wait, or reject E. */
export function makeHandler(deps: PromoteDeps) {
  return reaction('promote', promotionTriggers, deps.logger, async (event) => {
    const ref = readTrigger(event);
    const pipeline = findPipeline(deps.config, ref.pipeline);
    if (!pipeline || (ref.gate && !isGateStart(ref.gate, pipeline))) {
      deps.logger.info('Not a bake timer or gate start of a guarded pipeline', { ref });
      return;
    }
    let outcome: Awaited<ReturnType<typeof decide>>;
    try {
      outcome = await decide(deps, pipeline, ref);
    } catch (error) {
      // Fail closed: no approval without facts. The gate stays waiting for the next trigger or a person.
      deps.logger.error('Promotion decision failed', { error: describeError(error) });
      await deps.bus.emit(guardFailed, {
        mode: deps.config.mode,
        reaction: 'promote',
        pipeline: pipeline.name,
        executionId: ref.executionId,
        error: describeError(error),
        consequence: 'not approved; the gate stays closed until the next attempt',
      });
      return;
    }
    deps.logger.info('Promotion decision', { decision: outcome.decision, trigger: ref.trigger });
    await actOnPromotion(deps, pipeline, { ...ref, release: outcome.release }, outcome.decision);
  });
}

type TriggerRef = {
  trigger: PromotionTrigger;
  pipeline: string;
  executionId: string;
  timerRelease?: ReleaseRecord;
  gate?: { stage: string; action: string; state: string };
};

function readTrigger(event: z.output<typeof promotionTriggers>): TriggerRef {
  if (event['detail-type'] === bakeTimerFired.detailType) {
    const d = event.detail;
    // The reconciler hands over a restore without release facts: promote then reads the ledger itself.
    const { devSucceededAt, bakeEndsAt } = d;
    return {
      trigger: d.trigger === 'reconciler' ? 'reconciler' : 'timer',
      pipeline: d.pipeline,
      executionId: d.executionId,
      timerRelease:
        devSucceededAt && bakeEndsAt
          ? {
              pipeline: d.pipeline,
              executionId: d.executionId,
              devSucceededAt,
              bakeEndsAt,
              commitId: d.commitId,
              commitMessage: d.commitMessage,
            }
          : undefined,
    };
  }
  const d = event.detail;
  return { trigger: 'gate-started', pipeline: d.pipeline, executionId: d['execution-id'], gate: d };
}

/** Asks the pure decision what it needs next and reads just that, until it decides. */
async function decide(
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  ref: TriggerRef,
): Promise<{ decision: PromotionDecision; release: ReleaseRecord | undefined }> {
  let release: PromotionInput['release'] = ref.timerRelease ?? 'not-loaded';
  let gate = await deps.codepipeline.getGateState(pipeline);
  let alarms: AlarmFacts | undefined;
  let restore: PromotionInput['restore'] = 'not-loaded';
  const retries = [...TOKEN_RETRY_DELAYS_MS];
  for (;;) {
    const now = deps.now();
    const decision = decidePromotion({
      executionId: ref.executionId,
      trigger: ref.trigger,
      insufficientData: deps.config.insufficientData,
      release,
      gate,
      alarms,
      restore,
      prodStage: pipeline.prodStage,
      now,
    });
    switch (decision.kind) {
      case 'need-release':
        release = await deps.ledger.getRelease(pipeline.name, ref.executionId);
        break;
      case 'need-restore':
        restore = await deps.restores.getRestore(pipeline.name, ref.executionId);
        break;
      case 'need-alarms':
        alarms = { current: await deps.alarms.selectedAlarms(pipeline.devAlarms) };
        break;
      case 'need-history':
        alarms = {
          ...alarms!,
          transitions: await deps.alarms.transitionsSince(decision.names, decision.since, now),
        };
        break;
      case 'await-token': {
        const delay = retries.shift();
        if (delay === undefined) return { decision, release: loaded(release) };
        await deps.sleep(delay);
        gate = await deps.codepipeline.getGateState(pipeline);
        break;
      }
      default:
        return { decision, release: loaded(release) };
    }
  }
}

const loaded = (release: PromotionInput['release']) => (release === 'not-loaded' ? undefined : release);

function isGateStart(gate: NonNullable<TriggerRef['gate']>, pipeline: GuardedPipeline): boolean {
  return gate.stage === pipeline.prodStage && gate.action === pipeline.gateAction && gate.state === 'STARTED';
}
