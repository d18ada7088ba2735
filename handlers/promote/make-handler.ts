import * as z from '../../lib/zod';
import { findPipeline, type GuardConfig, type GuardedPipeline } from '../../config/schema';
import { actionExecutionStateChange } from '../../events/aws/codepipeline-action-execution-state-change';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import type { AlarmReader } from '../../lib/aws/cloudwatch';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import { announcement, type Actor, type Invocation } from '../../lib/act/act';
import { gateAnsweredByPerson } from '../../events/guard/gate-answered-by-person';
import { decideGateAnswer } from './decide-gate-answer';
import { decisionKeyOf } from '../../lib/act/journal';
import type { Ledger, ReleaseRecord } from '../../lib/aws/ledger';
import type { RestoreRecord, RollbackLedger } from '../../lib/aws/rollback-ledger';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { personCommand, type PersonCommand } from '../../events/guard/person-command';
import { standingHolds, type Holds, type Overrides } from '../../lib/aws/holds';
import type { FreezeState } from '../../lib/freeze/freeze-state';
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
  codepipeline: Pick<CodePipelineGateway, 'getGateState' | 'answerGate' | 'getExecution' | 'gateAnswer'>;
  alarms: AlarmReader;
  ledger: Pick<Ledger, 'getRelease'>;
  /** The rollback reaction's records: whether the execution at the gate is the guard's own restore. */
  restores: Pick<RollbackLedger, 'getRestore'>;
  /** People's holds on the pipeline (handlers/command writes them). */
  holds: Pick<Holds, 'list'>;
  /** Freeze windows and Change Calendars at a moment (lib/aws/freeze.ts: the calendars are read then). */
  freeze: (at: Date) => Promise<FreezeState>;
  /** People's promote-now records (handlers/command writes them). */
  overrides: Pick<Overrides, 'get'>;
  /** Carries out and announces each decision once (lib/act). */
  actor: Actor;
  logger: GuardLogger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
};

/** The approval token can lag the approval action's start by a few seconds. */
const TOKEN_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

const promotionTriggers = /* @__PURE__ */ z.lazy(() =>
  z.union([bakeTimerFired.event, actionExecutionStateChange, personCommand.event]),
);

/** E's bake timer fired, or E reached the Prod gate: approve, wait, or reject E. */
export function makeHandler(deps: PromoteDeps) {
  return reaction('promote', promotionTriggers, deps.logger, async (event) => {
    const ref = readTrigger(event);
    const pipeline = findPipeline(deps.config, ref.pipeline);
    if (pipeline && ref.gate && isGateEnd(ref.gate, pipeline)) {
      await recordPersonAnswer(deps, pipeline, ref.executionId, { reaction: 'promote', eventId: event.id });
      return;
    }
    if (!pipeline || (ref.gate && !isGateStart(ref.gate, pipeline))) {
      deps.logger.info('Not a bake timer or gate start of a guarded pipeline', { ref });
      return;
    }
    const invocation = { reaction: 'promote', eventId: event.id };
    let outcome: Awaited<ReturnType<typeof decide>>;
    try {
      outcome = await decide(deps, pipeline, ref);
    } catch (error) {
      // Fail closed: no approval without facts. Retried while Lambda can; then announced, naming the call.
      const key = decisionKeyOf(pipeline.name, 'gate', 'failed', ref.executionId, ref.trigger);
      await deps.actor.couldNotDecide(key, error, invocation, {
        mode: deps.config.mode,
        pipeline: pipeline.name,
        executionId: ref.executionId,
        consequence: `not approved: ${ref.executionId} waits at the gate until the next trigger or a person answers it`,
      });
      return;
    }
    if (outcome === 'untrusted-timer') return;
    deps.logger.info('Promotion decision', { decision: outcome.decision, trigger: ref.trigger });
    await actOnPromotion(
      deps,
      pipeline,
      { ...ref, release: outcome.release, restore: outcome.restore },
      outcome.decision,
      invocation,
    );
  });
}

type TriggerRef = {
  trigger: PromotionTrigger;
  pipeline: string;
  executionId: string;
  /** What a bake timer says of the bake: compared with the guard's own record, never trusted (docs/design.md). */
  timerTimes?: { devSucceededAt: string; bakeEndsAt: string };
  /** The commit a timer names: shown in a message when no record was read, never a fact the gate decides on. */
  shownCommit?: { commitId: string; commitMessage?: string };
  gate?: { stage: string; action: string; state: string };
};

function readTrigger(event: z.output<typeof promotionTriggers>): TriggerRef {
  if (event['detail-type'] === personCommand.detailType) {
    const d = event.detail as PersonCommand;
    // promote-now: the event only says "look now"; the gate trusts the record the command function wrote.
    if (d.command === 'promote-now') {
      return { trigger: 'override', pipeline: d.pipeline, executionId: d.executionId ?? '' };
    }
    return { trigger: 'person', pipeline: d.pipeline, executionId: d.waitingExecutionId ?? '' };
  }
  if (event['detail-type'] === bakeTimerFired.detailType) {
    const d = event.detail;
    // The reconciler hands over a restore without release facts: promote then reads the ledger itself.
    const { devSucceededAt, bakeEndsAt } = d;
    return {
      trigger: d.trigger === 'reconciler' ? 'reconciler' : 'timer',
      pipeline: d.pipeline,
      executionId: d.executionId,
      timerTimes: devSucceededAt && bakeEndsAt ? { devSucceededAt, bakeEndsAt } : undefined,
      shownCommit: d.commitId ? { commitId: d.commitId, commitMessage: d.commitMessage } : undefined,
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
): Promise<
  | { decision: PromotionDecision; release: ReleaseRecord | undefined; restore: RestoreRecord | undefined }
  | 'untrusted-timer'
> {
  // The gate decides on what the guard itself recorded when E left Dev; a timer only says "look now".
  let release: PromotionInput['release'] = 'not-loaded';
  let gate = await deps.codepipeline.getGateState(pipeline);
  let alarms: AlarmFacts | undefined;
  let restore: PromotionInput['restore'] = 'not-loaded';
  let executionType: PromotionInput['executionType'] = 'not-loaded';
  let holds: PromotionInput['holds'];
  let override: PromotionInput['override'];
  let freeze: PromotionInput['freeze'];
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
      executionType,
      prodStage: pipeline.prodStage,
      holds,
      override,
      freeze,
      now,
    });
    switch (decision.kind) {
      case 'need-release':
        release = await deps.ledger.getRelease(pipeline.name, ref.executionId);
        if (ref.timerTimes && !sameBake(ref.timerTimes, release)) {
          deps.logger.warn('Dropped a bake timer that disagrees with the recorded bake', {
            invalidEvent: true,
            executionId: ref.executionId,
            timer: ref.timerTimes,
            recorded: release
              ? { devSucceededAt: release.devSucceededAt, bakeEndsAt: release.bakeEndsAt }
              : 'none',
          });
          return 'untrusted-timer';
        }
        break;
      case 'need-restore':
        restore = await deps.restores.getRestore(pipeline.name, ref.executionId);
        break;
      case 'need-execution':
        executionType =
          (await deps.codepipeline.getExecution(pipeline, ref.executionId)).executionType ?? 'STANDARD';
        break;
      case 'need-override':
        override = (await deps.overrides.get(pipeline.name, ref.executionId)) ?? null;
        break;
      case 'need-freeze':
        freeze = await deps.freeze(now);
        break;
      case 'need-holds':
        holds = standingHolds(await deps.holds.list(pipeline.name), now);
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
        if (delay === undefined)
          return { decision, release: loaded(release), restore: loadedRestore(restore) };
        await deps.sleep(delay);
        gate = await deps.codepipeline.getGateState(pipeline);
        break;
      }
      default:
        return { decision, release: loaded(release), restore: loadedRestore(restore) };
    }
  }
}

const loaded = (release: PromotionInput['release']) => (release === 'not-loaded' ? undefined : release);
const loadedRestore = (restore: PromotionInput['restore']) =>
  restore === 'not-loaded' ? undefined : restore;

/** A timer is the guard's when it names the bake the guard recorded for E (same instants). */
function sameBake(timer: { devSucceededAt: string; bakeEndsAt: string }, release: ReleaseRecord | undefined) {
  if (!release) return false;
  const at = (iso: string) => new Date(iso).getTime();
  return (
    at(timer.devSucceededAt) === at(release.devSucceededAt) && at(timer.bakeEndsAt) === at(release.bakeEndsAt)
  );
}

function isGateEnd(gate: NonNullable<TriggerRef['gate']>, pipeline: GuardedPipeline): boolean {
  return (
    gate.stage === pipeline.prodStage &&
    gate.action === pipeline.gateAction &&
    (gate.state === 'SUCCEEDED' || gate.state === 'FAILED')
  );
}

/** A person answered E's gate (the console, or their own credentials): recorded and announced once, with who. */
async function recordPersonAnswer(
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  executionId: string,
  invocation: Invocation,
): Promise<void> {
  let answer: Awaited<ReturnType<PromoteDeps['codepipeline']['gateAnswer']>>;
  try {
    answer = await deps.codepipeline.gateAnswer(pipeline, executionId);
  } catch (error) {
    // Only a record of what a person did (the guard acts on nothing here): not retried into the dead-letter queue.
    deps.logger.error('Could not read who answered the gate; the answer is not recorded', {
      executionId,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    return;
  }
  const decision = decideGateAnswer(answer);
  if (decision.kind === 'ignore') {
    deps.logger.info('Gate answer not recorded', { executionId, reason: decision.reason });
    return;
  }
  const key = decisionKeyOf(pipeline.name, 'gate', 'person-answer', executionId, decision.actionExecutionId);
  await deps.actor.act(
    key,
    {
      primary: announcement(key, gateAnsweredByPerson, {
        pipeline: pipeline.name,
        executionId,
        mode: deps.config.mode,
        by: decision.by,
        status: decision.status,
        summary: decision.summary,
        prodStage: pipeline.prodStage,
        gateAction: pipeline.gateAction,
      }),
      effects: [],
    },
    invocation,
  );
}

function isGateStart(gate: NonNullable<TriggerRef['gate']>, pipeline: GuardedPipeline): boolean {
  return gate.stage === pipeline.prodStage && gate.action === pipeline.gateAction && gate.state === 'STARTED';
}
