import type { GuardedPipeline } from '../../config/schema';
import { GUARD_REJECTION_PREFIX } from '../../events/guard/promotion-rejected';
import type { EffectContext, EffectResult, EffectSpec, Executor } from '../act/intent';
import type { CodePipelineGateway } from '../aws/codepipeline';
import type { ProdTransition, ProdView, TransitionState } from '../aws/prod-transition';
import { isGuardPrincipal } from '../guard-principal';
import { parseGuardReason } from '../transition-reason';

/** The pipeline as the gate's effects need it: stored with the intent, so names only. */
export type GateRef = Pick<GuardedPipeline, 'name' | 'prodStage' | 'gateAction'>;

type AnswerParams = {
  pipeline: GateRef;
  executionId: string;
  token: string;
  status: 'Approved' | 'Rejected';
  summary: string;
  /** Leave the approval waiting when it is the guard's restore of a Prod failure (read at the last moment). */
  unlessGuardRestore?: boolean;
};
/**
 * `alarmSince`: when the alarm that closes Prod entered its state. A person who re-enabled the transition after it
 * lifted the block for that alarm episode (brief, item 10): the close leaves Prod open then, whoever carries it out.
 */
type TransitionParams = { pipeline: GateRef; reason?: string; alarmSince?: string };
type RejectWaitingParams = { pipeline: GateRef; transitionReason: string; alarmSince?: string };

/** The summary of the guard's rejection of an approval a Dev alarm stopped. */
export function guardRejectionSummary(executionId: string, transitionReason: string): string {
  return `${GUARD_REJECTION_PREFIX}: a selected Dev alarm fired while ${executionId} waited for Prod (${transitionReason}).`.slice(
    0,
    512,
  );
}

/**
 * The Prod view this invocation read in the same round trip as it recorded the intent (the alarm gate's block): the
 * effects use it instead of reading again, so Prod is closed in the round trip after that one.
 */
export function freshProdView(pipeline: GateRef, view: ProdView): Record<string, unknown> {
  return { [`prodView ${pipeline.name}`]: view };
}

const gateRef = (p: GuardedPipeline): GateRef => ({
  name: p.name,
  prodStage: p.prodStage,
  gateAction: p.gateAction,
});

/** Answer the approval waiting at the Prod gate for one execution. */
export function answerGateEffect(
  pipeline: GuardedPipeline,
  answer: Omit<AnswerParams, 'pipeline'>,
  options: { essential?: boolean } = {},
): EffectSpec {
  return {
    id: 'answer-gate',
    kind: 'answer-gate',
    call: 'codepipeline.PutApprovalResult',
    resource: `pipeline ${pipeline.name}, ${pipeline.prodStage}/${pipeline.gateAction} of ${answer.executionId}`,
    params: { pipeline: gateRef(pipeline), ...answer, summary: answer.summary.slice(0, 512) },
    essential: options.essential ?? true,
  };
}

export function disableTransitionEffect(
  pipeline: GuardedPipeline,
  reason: string,
  alarmSince?: string,
): EffectSpec {
  return {
    id: 'disable-transition',
    kind: 'disable-transition',
    call: 'codepipeline.DisableStageTransition',
    resource: `pipeline ${pipeline.name}, transition into ${pipeline.prodStage}`,
    params: { pipeline: gateRef(pipeline), reason, ...(alarmSince ? { alarmSince } : {}) },
  };
}

/**
 * Reject whatever approval waits at the gate when the effect runs (read then, or taken from the intent's round
 * trip), unless it is the guard's restore of a Prod failure: the alarm gate records its block before it has read
 * the gate, so the intent names no token.
 */
export function rejectWaitingEffect(
  pipeline: GuardedPipeline,
  transitionReason: string,
  alarmSince?: string,
): EffectSpec {
  return {
    id: 'reject-waiting',
    kind: 'reject-waiting',
    call: 'codepipeline.PutApprovalResult',
    resource: `pipeline ${pipeline.name}, ${pipeline.prodStage}/${pipeline.gateAction}: the approval waiting, if any`,
    params: { pipeline: gateRef(pipeline), transitionReason, ...(alarmSince ? { alarmSince } : {}) },
    essential: false,
  };
}

/** Reopen Prod: only while the reason on the transition is still the guard's `reason` (invariant 2). */
export function enableTransitionEffect(pipeline: GuardedPipeline, reason: string | undefined): EffectSpec {
  return {
    id: 'enable-transition',
    kind: 'enable-transition',
    call: 'codepipeline.EnableStageTransition',
    resource: `pipeline ${pipeline.name}, transition into ${pipeline.prodStage}`,
    params: { pipeline: gateRef(pipeline), reason },
    essential: true,
  };
}

export type GateEffectDeps = {
  codepipeline: Pick<CodePipelineGateway, 'answerGate' | 'getExecution'>;
  transitions: Pick<ProdTransition, 'getProdView' | 'disableProdInbound' | 'enableProdInbound'>;
  /** For a reject `unlessGuardRestore` (the alarm gate's): why the waiting execution is left alone, if it is. */
  guardRestore?: (pipeline: GateRef, executionId: string) => Promise<string | undefined>;
};

/** The gate's writes, and how each is recognised afterwards: CodePipeline says who answered and which reason holds. */
export function gateExecutors(deps: GateEffectDeps): Record<string, Executor> {
  const view = (p: GateRef) => deps.transitions.getProdView(p as GuardedPipeline);
  /** The view read alongside the intent, if this invocation has one; else read now. */
  const viewFor = (p: GateRef, ctx: EffectContext) =>
    (ctx.fresh?.[`prodView ${p.name}`] as ProdView | undefined) ?? view(p);

  async function answered(p: AnswerParams): Promise<EffectResult | 'absent'> {
    const { gate } = await view(p.pipeline);
    if (!gate || gate.executionId !== p.executionId) {
      return (
        (await leftTheGate(p)) ?? { kind: 'preempted', note: `${p.executionId} is no longer at the gate` }
      );
    }
    if (gate.status === 'InProgress') return gate.token === p.token ? 'absent' : preemptedAt(p);
    if (gate.summary === p.summary) return { kind: 'done', fields: answeredFields(p) };
    const verb = gate.status === 'Succeeded' ? 'approved' : 'rejected';
    return {
      kind: 'preempted',
      note: `the gate was already ${verb} by ${gate.answeredBy ?? 'someone else'}`,
    };
  }

  /**
   * E is no longer the gate's execution (a newer one reached Prod since): its own status says which way it left.
   * Stopped or failed after a rejection, or past the gate after an approval, is this answer — most likely this
   * decision's earlier attempt, whose answer CodePipeline took before the Lambda died or lost the response.
   */
  async function leftTheGate(p: AnswerParams): Promise<EffectResult | undefined> {
    const { status } = await deps.codepipeline.getExecution(p.pipeline as GuardedPipeline, p.executionId);
    const rejected = status === 'Failed' || status === 'Stopped' || status === 'Stopping';
    const approved = status === 'InProgress' || status === 'Succeeded';
    if (p.status === 'Rejected' ? !rejected : !approved) return undefined;
    return {
      kind: 'done',
      already: true,
      note: `${p.executionId} left the gate (${status}) as this answer would have it: this decision's earlier attempt, unless someone answered it by hand`,
    };
  }

  const answerGate: Executor = {
    async apply(p: AnswerParams) {
      // The guard's own restore of a Prod failure waits at the gate: Dev alarms do not hold it (docs/alarm-gate.md).
      // Only the alarm gate asks for this check, and its executors always have it (gate-deps.ts).
      const note = p.unlessGuardRestore ? await deps.guardRestore?.(p.pipeline, p.executionId) : undefined;
      if (note !== undefined) return { kind: 'preempted', note };
      const outcome = await deps.codepipeline.answerGate(
        p.pipeline as GuardedPipeline,
        p.token,
        p.status,
        p.summary,
      );
      if (outcome === 'recorded') return { kind: 'done', fields: answeredFields(p) };
      // Refused as answered: by this decision's earlier attempt (its answer lost), or by someone else.
      const seen = await answered(p);
      return seen === 'absent' ? { kind: 'preempted', note: 'CodePipeline refused the token' } : seen;
    },
    recognise: answered,
    remedy: (p: AnswerParams) =>
      `${p.status === 'Approved' ? 'approve' : 'reject'} ${p.executionId} at ${p.pipeline.prodStage}/${p.pipeline.gateAction} by hand in the CodePipeline console`,
  };

  const disable: Executor = {
    async apply(p: TransitionParams, ctx) {
      // The view of the intent's round trip, or a re-read: a person who closed Prod since keeps their reason
      // (invariant 2); Prod is closed either way, which is all the block needs.
      const { transition } = await viewFor(p.pipeline, ctx);
      if (!transition.enabled) return closedAlready(p, transition);
      const lift = liftedAfter(transition, p.alarmSince, ctx);
      if (lift) return { kind: 'preempted', note: lift };
      await deps.transitions.disableProdInbound(p.pipeline as GuardedPipeline, p.reason ?? '');
      return { kind: 'done' };
    },
    async recognise(p: TransitionParams) {
      const { transition } = await view(p.pipeline);
      if (transition.enabled) return 'absent';
      if (transition.reason === p.reason) return { kind: 'done' };
      return closedAlready(p, transition);
    },
    remedy: (p: TransitionParams) =>
      `disable the transition into ${p.pipeline.prodStage} of ${p.pipeline.name} by hand, or reject what waits at the gate`,
  };

  const rejectWaiting: Executor = {
    async apply(p: RejectWaitingParams, ctx) {
      const { waiting, transition } = await viewFor(p.pipeline, ctx);
      if (waiting?.token === undefined) {
        return { kind: 'preempted', note: 'no approval waited at the gate' };
      }
      // A person's lift-block of this alarm episode: the block is theirs to make (promote still waits for a quiet bake).
      const lift = liftedAfter(transition, p.alarmSince, ctx);
      if (lift) return { kind: 'preempted', note: `the transition: ${lift}` };
      // Only the alarm gate's executors can tell the guard's restore (gate-deps.ts): without them, reject nothing.
      if (!deps.guardRestore) throw new Error('reject-waiting needs the rollback records (guardRestore)');
      return answerGate.apply(rejectionOf(p, waiting.executionId, waiting.token) as never, ctx);
    },
    async recognise(p: RejectWaitingParams) {
      const { waiting, gate } = await view(p.pipeline);
      if (waiting?.token !== undefined || !gate?.executionId) return 'absent';
      // Nothing waits: this decision's earlier attempt may have rejected it (the summary names the execution).
      const ours =
        gate.status === 'Failed' &&
        gate.summary === guardRejectionSummary(gate.executionId, p.transitionReason);
      return ours ? { kind: 'done', fields: { rejectedExecutionId: gate.executionId } } : 'absent';
    },
    remedy: (p: RejectWaitingParams) =>
      `reject what waits at ${p.pipeline.prodStage}/${p.pipeline.gateAction} of ${p.pipeline.name} by hand in the CodePipeline console`,
  };

  const enable: Executor = {
    async apply(p: TransitionParams) {
      // Re-read at the last moment: a person may have taken the transition over since the decision (invariant 2).
      const { transition } = await view(p.pipeline);
      if (transition.enabled) return { kind: 'done', already: true };
      if (transition.reason !== p.reason || !parseGuardReason(transition.reason)) {
        return {
          kind: 'preempted',
          note: `closed again by ${transition.changedBy ?? 'someone else'}: left closed`,
        };
      }
      await deps.transitions.enableProdInbound(p.pipeline as GuardedPipeline);
      return { kind: 'done' };
    },
    async recognise(p: TransitionParams) {
      const { transition } = await view(p.pipeline);
      return transition.enabled ? { kind: 'done' } : 'absent';
    },
    remedy: (p: TransitionParams) =>
      `enable the transition into ${p.pipeline.prodStage} of ${p.pipeline.name} by hand once its Dev alarms are OK`,
  };

  return {
    'answer-gate': answerGate,
    'reject-waiting': rejectWaiting,
    'disable-transition': disable,
    'enable-transition': enable,
  };
}

function rejectionOf(p: RejectWaitingParams, executionId: string, token: string): AnswerParams {
  return {
    pipeline: p.pipeline,
    executionId,
    token,
    status: 'Rejected',
    summary: guardRejectionSummary(executionId, p.transitionReason),
    unlessGuardRestore: true,
  };
}

/** Prod is closed already: by this block (its reason), by the guard for another alarm, or by someone else. */
function closedAlready(p: TransitionParams, transition: TransitionState): EffectResult {
  if (transition.reason === p.reason) return { kind: 'done', already: true };
  const by = transition.changedBy ?? 'someone else';
  const foreign = !parseGuardReason(transition.reason);
  return {
    kind: 'done',
    already: true,
    note: `already closed by ${by}: their reason kept`,
    // Someone else's close stands for the block: the announcement names it with their reason.
    ...(foreign ? { fields: { alreadyDisabledBy: by, transitionReason: transition.reason ?? '' } } : {}),
  };
}

/**
 * A person (not the guard) re-enabled the transition after the alarm entered its state: their lift-block. When a
 * retry finds they did so after this block was recorded (`since`), the earlier attempt's close may have landed
 * first, its answer lost or its Lambda dead: the note says so, so the announcement does not claim nothing was closed.
 */
function liftedAfter(
  transition: TransitionState,
  alarmSince: string | undefined,
  { since, attempt = 1 }: EffectContext,
): string | undefined {
  const { changedBy, changedAt } = transition;
  if (!transition.enabled || !alarmSince || !changedBy || !changedAt || isGuardPrincipal(changedBy))
    return undefined;
  if (new Date(alarmSince) >= changedAt) return undefined;
  const lifted = `${changedBy} re-enabled it at ${changedAt.toISOString()}, after the alarm: their lift-block stands`;
  if (attempt === 1 || changedAt <= since) return lifted;
  return `the guard may have closed it before (an earlier attempt whose answer was lost); ${lifted}`;
}

/** A conditional reject names its execution in the announcement once it is made. */
function answeredFields(p: AnswerParams): Record<string, unknown> | undefined {
  return p.unlessGuardRestore ? { rejectedExecutionId: p.executionId } : undefined;
}

function preemptedAt(p: AnswerParams): EffectResult {
  return { kind: 'preempted', note: `the gate of ${p.executionId} was restarted since (a new approval)` };
}

type RetryParams = { pipeline: GateRef; executionId: string };

/**
 * promote-now of an execution the gate rejected: run its Prod approval again (RetryStageExecution, failed actions),
 * after the person's override is recorded, so the new approval finds it (handlers/promote: breakGlass).
 */
export function retryGateEffect(pipeline: GuardedPipeline, executionId: string): EffectSpec {
  return {
    id: 'retry-gate',
    kind: 'retry-gate',
    call: 'codepipeline.RetryStageExecution',
    resource: `pipeline ${pipeline.name}, stage ${pipeline.prodStage} of ${executionId}`,
    params: { pipeline: gateRef(pipeline), executionId },
    essential: true,
    requires: ['record-override'],
  };
}

export function retryGateExecutors(deps: {
  transitions: Pick<ProdTransition, 'getProdView' | 'retryProdStage'>;
}): Record<string, Executor> {
  /** Retried already: E runs the Prod stage again (its approval waits, or has been answered since). */
  async function retried(p: RetryParams): Promise<EffectResult | 'absent'> {
    const { gate } = await deps.transitions.getProdView(p.pipeline as GuardedPipeline);
    if (gate?.executionId !== p.executionId) {
      return {
        kind: 'preempted',
        note: `${p.executionId} is no longer the ${p.pipeline.prodStage} stage's latest`,
      };
    }
    return gate.stageStatus === 'Failed' ? 'absent' : { kind: 'done', already: true };
  }
  return {
    'retry-gate': {
      async apply(p: RetryParams) {
        const outcome = await deps.transitions.retryProdStage(p.pipeline as GuardedPipeline, p.executionId);
        if (outcome.kind === 'retried') return { kind: 'done' };
        const seen = await retried(p);
        return seen === 'absent' ? { kind: 'preempted', note: `CodePipeline refused: ${outcome.why}` } : seen;
      },
      recognise: retried,
      remedy: (p: RetryParams) =>
        `retry the ${p.pipeline.prodStage} stage of ${p.executionId} in the CodePipeline console; the gate then approves it under the recorded promote-now`,
    },
  };
}
