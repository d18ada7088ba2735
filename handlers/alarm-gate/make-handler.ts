import { blockingStates, fromEnvironmentAccount, type GuardedPipeline } from '../../config/schema';
import * as z from '../../lib/zod';
import {
  ALARM_CONTRIBUTOR_STATE_CHANGE,
  alarmContributorStateChange,
} from '../../events/aws/cloudwatch-alarm-contributor-state-change';
import { alarmStateChange } from '../../events/aws/cloudwatch-alarm-state-change';
import type { AlarmReader } from '../../lib/aws/cloudwatch';
import type { Invocation } from '../../lib/act/act';
import { decisionKeyOf } from '../../lib/act/journal';
import type { ProdTransition } from '../../lib/aws/prod-transition';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import { reaction } from '../../lib/reaction';
import { freshProdView } from '../../lib/effects/gate';
import { formatGuardReason, type BlockingState } from '../../lib/transition-reason';
import { actOnGate, blockIntent, type GateActDeps } from './act-on-gate';
import {
  decideAlarmGate,
  type AlarmGateDecision,
  type AlarmGateInput,
  type AlarmSignal,
} from './decide-alarm-gate';
import { decisionKey } from './decide-gate';

export type AlarmGateDeps = GateActDeps & {
  transitions: Pick<ProdTransition, 'getProdView' | 'disableProdInbound' | 'enableProdInbound'>;
  alarms: Pick<AlarmReader, 'selectedAlarms' | 'tagsOf'>;
  /** The rollback's records: whether the approval waiting at the gate is the guard's own restore. */
  restores: Pick<RollbackLedger, 'getRestore'>;
  now: () => Date;
};

const alarmEvents = /* @__PURE__ */ z.lazy(() => z.union([alarmStateChange, alarmContributorStateChange]));

/** A Dev alarm changed state: close the Prod transition at once, or reopen what the guard closed. */
export function makeHandler(deps: AlarmGateDeps) {
  return reaction('alarm-gate', alarmEvents, deps.logger, async (event) => {
    if (!fromEnvironmentAccount(deps.config, 'dev', event.account)) {
      deps.logger.warn('Ignored: an alarm event from an account that is not the configured Dev account', {
        account: event.account,
        alarmName: event.detail.alarmName,
      });
      return;
    }
    const signal = readSignal(event);
    const invocation = { reaction: 'alarm-gate', eventId: event.id };
    for (const pipeline of deps.config.pipelines) {
      await guardPipeline(deps, pipeline, signal, event.detail.alarmTags, invocation);
    }
  });
}

function readSignal(event: z.output<typeof alarmEvents>): AlarmSignal {
  const d = event.detail;
  const contributor =
    event['detail-type'] === ALARM_CONTRIBUTOR_STATE_CHANGE
      ? ((event.detail as z.output<typeof alarmContributorStateChange>['detail']).alarmContributor ?? {})
      : undefined;
  const at = new Date(d.state.timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return {
    alarmName: d.alarmName,
    arn: event.resources[0],
    state: d.state.value,
    previous: d.previousState?.value,
    at: Number.isNaN(at.getTime()) ? new Date(event.time) : at,
    // A contributor's change counts as its alarm's; the reason says which time series it was.
    reason: contributor
      ? `contributor ${contributor.id ?? '(no id)'}: ${d.state.reason ?? ''}`
      : d.state.reason,
  };
}

async function guardPipeline(
  deps: AlarmGateDeps,
  pipeline: GuardedPipeline,
  signal: AlarmSignal,
  alarmTags: Record<string, string> | undefined,
  invocation: Invocation,
): Promise<void> {
  const input: AlarmGateInput = {
    signal,
    selector: pipeline.devAlarms,
    tags: alarmTags,
    prodStage: pipeline.prodStage,
    insufficientData: deps.config.insufficientData,
    mode: deps.config.mode,
  };
  let decision: AlarmGateDecision;
  // Enforce mode, an alarm into a blocking state: the block is recorded while Prod is read (blockAlongside).
  const alongside =
    deps.config.mode === 'enforce' && blockingStates(input.insufficientData).has(signal.state);
  try {
    decision = await decide(deps, pipeline, input, { stopAtView: alongside });
  } catch (error) {
    await couldNotDecide(deps, pipeline, signal, invocation, error);
    return;
  }
  let speculated = false;
  if (decision.kind === 'need-view') {
    const rest = await blockAlongside(deps, pipeline, input, invocation);
    if (rest === 'done') return;
    ({ decision } = rest);
    speculated = true;
  }
  deps.logger.info('Alarm gate decision', { decision, pipeline: pipeline.name, alarm: signal.alarmName });
  if (decision.kind.startsWith('need-')) return;
  const action = decision as Exclude<AlarmGateDecision, { kind: `need-${string}` }>;
  if (action.kind === 'ignore' && input.view && !speculated) {
    // A retry of this alarm change finds its block or unblock done: announce it if its PutEvents failed.
    const verb = blockingStates(deps.config.insufficientData).has(signal.state) ? 'block' : 'unblock';
    await deps.actor.resume(
      decisionKeyOf(pipeline.name, `${verb} ${signal.alarmName} ${signal.at.toISOString()}`),
      invocation,
    );
    return;
  }
  const key = decisionKey(action, input.view, signal);
  await actOnGate(deps, pipeline, action, {
    trigger: 'alarm-event',
    announceKey: decisionKeyOf(pipeline.name, key),
    alarmAt: signal.at,
    now: deps.now(),
    invocation,
  });
}

/** Retried while Lambda can (the reconciler also converges within minutes); then said, naming the call. */
async function couldNotDecide(
  deps: AlarmGateDeps,
  pipeline: GuardedPipeline,
  signal: AlarmSignal,
  invocation: Invocation,
  error: unknown,
): Promise<void> {
  const key = decisionKeyOf(pipeline.name, `alarm ${signal.alarmName} ${signal.at.toISOString()} failed`);
  await deps.actor.couldNotDecide(key, error, invocation, {
    mode: deps.config.mode,
    pipeline: pipeline.name,
    consequence: `${signal.alarmName} is ${signal.state}, and the guard could not check Prod of ${pipeline.name}: check its transition and gate; the reconciler retries every few minutes`,
  });
}

/**
 * Alarm → Prod closed in two round trips (issue 15): the block's intent is recorded while GetPipelineState reads
 * Prod, and its first effect closes Prod with that view (no second read: the view is as fresh as a re-read after
 * the intent would be, so invariant 2's window stays one round trip). The pure decision still judges, on the
 * view: a block is carried out; anything else (a person's lift, Prod already closed by the guard, nothing to do)
 * drops the intent unannounced, and the decision goes on as it would have. An intent this call did not record
 * (a retry, or the reconciler's block under the same key) is carried on: its effects look at the world first.
 */
async function blockAlongside(
  deps: AlarmGateDeps,
  pipeline: GuardedPipeline,
  input: AlarmGateInput,
  invocation: Invocation,
): Promise<'done' | { decision: AlarmGateDecision }> {
  const { signal } = input;
  const since = signal.at.toISOString();
  const transitionReason = formatGuardReason({
    alarmName: signal.alarmName,
    state: signal.state as BlockingState,
    since: signal.at,
  });
  const announceKey = decisionKeyOf(pipeline.name, `block ${signal.alarmName} ${since}`);
  const ctx = {
    trigger: 'alarm-event' as const,
    announceKey,
    alarmAt: signal.at,
    now: deps.now(),
    invocation,
  };
  const alarms = [
    {
      name: signal.alarmName,
      state: signal.state as BlockingState,
      since,
      reason: signal.reason,
      arn: signal.arn,
    },
  ];
  const intent = blockIntent(deps, pipeline, { alarms, transitionReason, alarmSince: since }, ctx);
  const [begun, view] = await Promise.allSettled([
    deps.actor.begin(announceKey, intent),
    deps.transitions.getProdView(pipeline),
  ]);
  // No intent, no write (invariant 5): the journal's failure is Lambda's to retry, as in every act.
  if (begun.status === 'rejected') throw begun.reason;
  if (begun.value === 'duplicate') return 'done';
  const own = begun.value;
  if (!own.fresh) {
    await deps.actor.carry(own, invocation);
    return 'done';
  }
  let decision: AlarmGateDecision;
  try {
    if (view.status === 'rejected') throw view.reason;
    input.view = view.value;
    decision = await decide(deps, pipeline, input);
  } catch (error) {
    await deps.actor.drop(own);
    await couldNotDecide(deps, pipeline, signal, invocation, error);
    return 'done';
  }
  if (decision.kind === 'block') {
    deps.logger.info('Alarm gate decision', { decision, pipeline: pipeline.name, alarm: signal.alarmName });
    await deps.actor.carry(own, invocation, freshProdView(pipeline, input.view));
    return 'done';
  }
  await deps.actor.drop(own);
  return { decision };
}

/** Asks the pure decision what it needs next and reads just that, until it decides. */
async function decide(
  deps: AlarmGateDeps,
  pipeline: GuardedPipeline,
  input: AlarmGateInput,
  { stopAtView = false }: { stopAtView?: boolean } = {},
): Promise<AlarmGateDecision> {
  for (;;) {
    const decision = decideAlarmGate(input);
    switch (decision.kind) {
      case 'need-tags':
        input.tags = input.signal.arn ? await deps.alarms.tagsOf(input.signal.arn) : {};
        break;
      case 'need-view':
        if (stopAtView) return decision;
        input.view = await deps.transitions.getProdView(pipeline);
        break;
      case 'need-alarms':
        input.alarms = await deps.alarms.selectedAlarms(pipeline.devAlarms);
        break;
      case 'need-restore':
        input.waitingRestore =
          (await deps.restores.getRestore(pipeline.name, decision.executionId)) ?? 'none';
        break;
      default:
        return decision;
    }
  }
}
