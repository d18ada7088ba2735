import type { GuardConfig, GuardedPipeline } from '../../config/schema';
import { promotionBlocked } from '../../events/guard/promotion-blocked';
import { promotionUnblocked } from '../../events/guard/promotion-unblocked';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import type { Ledger } from '../../lib/aws/ledger';
import type { DecisionKey, Outbox } from '../../lib/aws/outbox';
import type { ProdTransition } from '../../lib/aws/prod-transition';
import type { GuardLogger } from '../../lib/reaction';
import type { GateAction } from './decide-gate';

export type GateActDeps = {
  config: GuardConfig;
  transitions: Pick<ProdTransition, 'disableProdInbound' | 'enableProdInbound'>;
  codepipeline: Pick<CodePipelineGateway, 'answerGate'>;
  ledger: Pick<Ledger, 'claimDecision'>;
  outbox: Outbox;
  logger: GuardLogger;
};

export type GateActContext = {
  trigger: 'alarm-event' | 'reconciler';
  /**
   * Names this decision in the ledger, so that observe mode (which changes nothing) and a transition left closed
   * (which the guard does not change) are announced once.
   */
  decisionKey: string;
  /** The outbox key of the announcement (lib/aws/outbox.ts). */
  announceKey: DecisionKey;
  /** When the alarm changed state, for the alarm-to-block metric. */
  alarmAt?: Date;
  now: Date;
};

/**
 * Carries out a block or an unblock. Enforce: the pipeline's own state is the idempotency key (a closed
 * transition is not closed again, an answered approval refuses a second answer). Observe: nothing is written to
 * the pipeline, so the ledger records the first "would have" and duplicates stay silent.
 */
export async function actOnGate(
  deps: GateActDeps,
  pipeline: GuardedPipeline,
  action: GateAction,
  ctx: GateActContext,
): Promise<void> {
  if (action.kind === 'ignore') return;
  const mode = deps.config.mode;
  const observe = mode === 'observe';
  // A person's (or another tool's) closed transition stays closed: the guard says so once per closing.
  const leftDisabled = action.kind === 'unblock' && !action.enable;
  if (
    (observe || leftDisabled) &&
    !(await deps.ledger.claimDecision(pipeline.name, ctx.decisionKey, action.kind))
  ) {
    deps.logger.info('Already decided: a duplicate', { decisionKey: ctx.decisionKey });
    await deps.outbox.flush(ctx.announceKey);
    return;
  }
  const base = { mode, pipeline: pipeline.name, prodStage: pipeline.prodStage, trigger: ctx.trigger };
  if (action.kind === 'block') {
    if (action.disable && !observe)
      await deps.transitions.disableProdInbound(pipeline, action.transitionReason);
    const rejected = action.reject && (observe || (await rejectOnce(deps, pipeline, action.reject)));
    // The approval was already answered (by an earlier attempt, whose announcement may have failed).
    if (!action.disable && !rejected) {
      await deps.outbox.flush(ctx.announceKey);
      return;
    }
    await deps.outbox.announce(ctx.announceKey, promotionBlocked, {
      ...base,
      alarms: action.alarms,
      transitionReason: action.transitionReason,
      alreadyDisabledBy: action.alreadyDisabledBy,
      rejectedExecutionId: rejected ? action.reject?.executionId : undefined,
      alarmToBlockSeconds: ctx.alarmAt
        ? Math.max(0, Math.round((ctx.now.getTime() - ctx.alarmAt.getTime()) / 1000))
        : undefined,
    });
    return;
  }
  if (action.enable && !observe) await deps.transitions.enableProdInbound(pipeline);
  await deps.outbox.announce(ctx.announceKey, promotionUnblocked, {
    ...base,
    outcome: action.enable ? 'enabled' : 'left-disabled',
    transitionReason: action.transitionReason,
    blockedSince: action.blockedSince,
    alarmsChecked: action.alarmsChecked,
    forRestore: action.forRestore,
  });
}

async function rejectOnce(
  deps: GateActDeps,
  pipeline: GuardedPipeline,
  reject: NonNullable<Extract<GateAction, { kind: 'block' }>['reject']>,
): Promise<boolean> {
  return (
    (await deps.codepipeline.answerGate(pipeline, reject.token, 'Rejected', reject.summary)) === 'recorded'
  );
}
