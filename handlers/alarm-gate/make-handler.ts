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
import { actOnGate, type GateActDeps } from './act-on-gate';
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

const alarmEvents = z.union([alarmStateChange, alarmContributorStateChange]);

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
  try {
    decision = await decide(deps, pipeline, input);
  } catch (error) {
    // Retried while Lambda can (the reconciler also converges within minutes); then said, naming the call.
    const key = decisionKeyOf(pipeline.name, `alarm ${signal.alarmName} ${signal.at.toISOString()} failed`);
    await deps.actor.couldNotDecide(key, error, invocation, {
      mode: deps.config.mode,
      pipeline: pipeline.name,
      consequence: `${signal.alarmName} is ${signal.state}, and the guard could not check Prod of ${pipeline.name}: check its transition and gate; the reconciler retries every few minutes`,
    });
    return;
  }
  deps.logger.info('Alarm gate decision', { decision, pipeline: pipeline.name, alarm: signal.alarmName });
  if (decision.kind.startsWith('need-')) return;
  const action = decision as Exclude<AlarmGateDecision, { kind: `need-${string}` }>;
  if (action.kind === 'ignore' && input.view) {
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

/** Asks the pure decision what it needs next and reads just that, until it decides. */
async function decide(
  deps: AlarmGateDeps,
  pipeline: GuardedPipeline,
  input: AlarmGateInput,
): Promise<AlarmGateDecision> {
  for (;;) {
    const decision = decideAlarmGate(input);
    switch (decision.kind) {
      case 'need-tags':
        input.tags = input.signal.arn ? await deps.alarms.tagsOf(input.signal.arn) : {};
        break;
      case 'need-view':
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
