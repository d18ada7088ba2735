import type { GuardConfig, GuardedPipeline } from '../../config/schema';
import { guardFailed } from '../../events/guard/guard-failed';
import { promotionBlocked } from '../../events/guard/promotion-blocked';
import { promotionUnblocked } from '../../events/guard/promotion-unblocked';
import { personCommand } from '../../events/guard/person-command';
import { announcement, type Actor, type Invocation } from '../../lib/act/act';
import type { Announcement, EffectSpec, Intent } from '../../lib/act/intent';
import type { DecisionKey } from '../../lib/act/journal';
import {
  answerGateEffect,
  disableTransitionEffect,
  enableTransitionEffect,
  rejectWaitingEffect,
} from '../../lib/effects/gate';
import type { GuardLogger } from '../../lib/reaction';
import type { GateAction } from './decide-gate';

export type GateActDeps = {
  config: GuardConfig;
  /** Carries out and announces each decision once (lib/act). */
  actor: Actor;
  logger: GuardLogger;
};

export type GateActContext = {
  trigger: 'alarm-event' | 'reconciler';
  /** The journal key of this decision (lib/act/journal.ts): one announcement per key. */
  announceKey: DecisionKey;
  /** When the alarm changed state, for the alarm-to-block metric. */
  alarmAt?: Date;
  now: Date;
  invocation: Invocation;
};

/**
 * Carries out a block or an unblock as one decision: close Prod and reject the waiting approval (each on its own:
 * a transition that cannot be closed still gets its approval rejected), or reopen what the guard closed. Observe
 * mode writes nothing to the pipeline. A block whose transition stayed open is announced as GuardFailed, listing
 * what was done — Prod is not closed, and a person must know.
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
  const base = { mode, pipeline: pipeline.name, prodStage: pipeline.prodStage, trigger: ctx.trigger };
  const key = ctx.announceKey;
  if (action.kind === 'respect-lift') {
    // A person's lift-block in the console: nothing to write, said once per alarm episode (the key).
    const names = action.alarms.map((a) => a.name).join(', ');
    await deps.actor.act(
      key,
      {
        primary: announcement(key, personCommand, {
          mode,
          command: 'lift-block',
          pipeline: pipeline.name,
          by: action.by,
          outcome: 'done',
          summary:
            `${action.by} re-enabled the transition into ${pipeline.prodStage} at ${action.at} while ${names} ` +
            `fired: the guard leaves Prod open for this alarm episode (until it recovers and fires again, or ` +
            `another selected alarm fires). The gate still approves only a full, quiet bake.`,
        }),
        effects: [],
      },
      ctx.invocation,
    );
    return;
  }
  if (action.kind === 'block') {
    const effects: EffectSpec[] = [];
    if (action.disable && !observe) {
      effects.push({ ...disableTransitionEffect(pipeline, action.transitionReason), essential: true });
    }
    if (action.reject && !observe) {
      effects.push(
        answerGateEffect(
          pipeline,
          { ...action.reject, status: 'Rejected' },
          { essential: effects.length === 0 },
        ),
      );
    }
    await deps.actor.act(
      key,
      { ...blockAnnouncements(deps, pipeline, action, ctx), effects },
      ctx.invocation,
    );
    return;
  }
  const effects =
    action.enable && !observe ? [enableTransitionEffect(pipeline, action.transitionReason)] : [];
  const primary = announcement(key, promotionUnblocked, {
    ...base,
    outcome: action.enable ? 'enabled' : 'left-disabled',
    transitionReason: action.transitionReason,
    blockedSince: action.blockedSince,
    alarmsChecked: action.alarmsChecked,
    forRestore: action.forRestore,
  });
  const fallback = announcement(key, guardFailed, {
    mode,
    reaction: ctx.trigger === 'reconciler' ? 'reconcile' : 'alarm-gate',
    pipeline: pipeline.name,
    error: { name: 'NotUnblocked', message: 'the transition could not be reopened' },
    consequence: `Prod of ${pipeline.name} is still closed by the guard although its Dev alarms are OK`,
  });
  await deps.actor.act(key, { primary, fallback, effects }, ctx.invocation);
}

type BlockAction = Extract<GateAction, { kind: 'block' }>;

/** What a block announces: PromotionBlocked, or GuardFailed when its essential effect is not done. */
function blockAnnouncements(
  deps: GateActDeps,
  pipeline: GuardedPipeline,
  action: Pick<BlockAction, 'disable' | 'transitionReason' | 'alreadyDisabledBy' | 'reject' | 'alarms'>,
  ctx: GateActContext,
): { primary: Announcement; fallback: Announcement } {
  const mode = deps.config.mode;
  const key = ctx.announceKey;
  const primary = announcement(key, promotionBlocked, {
    mode,
    pipeline: pipeline.name,
    prodStage: pipeline.prodStage,
    trigger: ctx.trigger,
    alarms: action.alarms,
    transitionReason: action.transitionReason,
    alreadyDisabledBy: action.alreadyDisabledBy,
    // A conditional reject names its execution only once made (the reject effect's fields).
    rejectedExecutionId: action.reject?.unlessGuardRestore ? undefined : action.reject?.executionId,
    alarmToBlockSeconds: ctx.alarmAt
      ? Math.max(0, Math.round((ctx.now.getTime() - ctx.alarmAt.getTime()) / 1000))
      : undefined,
  });
  const fallback = announcement(key, guardFailed, {
    mode,
    reaction: ctx.trigger === 'reconciler' ? 'reconcile' : 'alarm-gate',
    pipeline: pipeline.name,
    executionId: action.reject?.executionId,
    error: { name: 'NotBlocked', message: 'the block could not be made' },
    consequence: action.disable
      ? `Prod of ${pipeline.name} is NOT closed although ${action.alarms.map((a) => a.name).join(', ')} fires`
      : `${action.reject?.executionId ?? 'the execution at the gate'} was not rejected`,
  });
  return { primary, fallback };
}

/**
 * The alarm event's block (enforce mode), recorded before the guard has read Prod: close the transition unless it
 * is closed already or a person lifted the block since the alarm, and reject whatever approval waits then unless it
 * is the guard's restore (lib/effects/gate.ts). Its effects decide from the world when they run, so the intent
 * holds whatever GetPipelineState says, which is read in the same round trip.
 */
export function blockIntent(
  deps: GateActDeps,
  pipeline: GuardedPipeline,
  block: { alarms: BlockAction['alarms']; transitionReason: string; alarmSince: string },
  ctx: GateActContext,
): Intent {
  const { primary, fallback } = blockAnnouncements(
    deps,
    pipeline,
    { disable: true, transitionReason: block.transitionReason, alarms: block.alarms },
    ctx,
  );
  return {
    primary,
    fallback,
    effects: [
      {
        ...disableTransitionEffect(pipeline, block.transitionReason, block.alarmSince),
        essential: true,
      },
      rejectWaitingEffect(pipeline, block.transitionReason, block.alarmSince),
    ],
  };
}
