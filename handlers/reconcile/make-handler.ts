import type { GuardedPipeline } from '../../config/schema';
import { scheduledEvent } from '../../events/aws/scheduled-event';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import { tileRestartTimerFired } from '../../events/guard/tile-restart-timer-fired';
import type { TileLedger } from '../../lib/aws/tile-ledger';
import type { AlarmReader } from '../../lib/aws/cloudwatch';
import type { GuardBus } from '../../lib/aws/guard-bus';
import type { Ledger } from '../../lib/aws/ledger';
import { decisionKeyOf } from '../../lib/act/journal';
import type { ProdTransition } from '../../lib/aws/prod-transition';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import type { Invocation } from '../../lib/act/act';
import type { JournalSweep } from '../../lib/act/sweep';
import { guardFailed } from '../../events/guard/guard-failed';
import { mapBounded } from '../../lib/bounded';
import { describeError } from '../../lib/errors';
import { reaction } from '../../lib/reaction';
import { actOnGate, type GateActDeps } from '../alarm-gate/act-on-gate';
import { decisionKey } from '../alarm-gate/decide-gate';
import { decideReconcile, type ReconcileDecision, type ReconcileInput } from './decide-reconcile';
import { decideSweep, SWEEP_AFTER_MS } from './decide-sweep';

export type ReconcileDeps = GateActDeps & {
  transitions: Pick<ProdTransition, 'getProdView' | 'disableProdInbound' | 'enableProdInbound'>;
  alarms: Pick<AlarmReader, 'selectedAlarms'>;
  ledger: Pick<Ledger, 'getRelease'>;
  /** BakeTimerFired: a request to the promote function, not a decision. */
  bus: GuardBus;
  /** The rollback's records: whether an execution at the gate or inbound is the guard's own restore. */
  restores: Pick<RollbackLedger, 'getRestore'>;
  /** Tile restarts that never got their outcome (a lost timeout timer). */
  tiles: Pick<TileLedger, 'overdueRestarts'>;
  /** Every function's decision journal: decisions left unannounced (lib/act/sweep.ts). */
  journals: JournalSweep;
  now: () => Date;
};

export class ReconcileError extends Error {
  override name = 'ReconcileError';
}

/**
 * Every few minutes: converge each guarded pipeline to what its alarms and its gate say now. One pipeline's
 * AWS error does not stop the others; the run fails at the end so the error shows in the function's metrics.
 */
export function makeHandler(deps: ReconcileDeps) {
  return reaction('reconcile', scheduledEvent, deps.logger, async (event) => {
    // Pipelines are independent: reconciled side by side, `alarmReadConcurrency` at a time (each reads alarms).
    const { pipelines, alarmReadConcurrency: limit } = deps.config;
    const invocation = { reaction: 'reconcile', eventId: event.id };
    const reconciled = await mapBounded(pipelines, limit, (pipeline) =>
      reconcilePipeline(deps, pipeline, event.id, invocation).then(
        () => [],
        (error: unknown) => {
          deps.logger.error('Reconciling a pipeline failed', {
            pipeline: pipeline.name,
            error: describeError(error),
          });
          return [pipeline.name];
        },
      ),
    );
    const swept = await mapBounded(pipelines, limit, (pipeline) =>
      announceUnfinished(deps, pipeline.name).then(
        () => [],
        (error: unknown) => {
          deps.logger.error('Sweeping the decision journals failed', {
            pipeline: pipeline.name,
            error: describeError(error),
          });
          return [`${pipeline.name} journals`];
        },
      ),
    );
    const failed: string[] = [...reconciled.flat(), ...swept.flat()];
    if (deps.config.pipelines.some((p) => p.tileServices.length > 0)) {
      await handOverOverdueRestarts(deps).catch((error: unknown) => {
        deps.logger.error('Looking for overdue tile restarts failed', { error: describeError(error) });
        failed.push('tile restarts');
      });
    }
    if (failed.length > 0) throw new ReconcileError(`reconciling ${failed.join(', ')} failed`);
  });
}

/**
 * Decisions a function recorded and never announced — it died on its last attempt, or the bus refused every
 * attempt's PutEvents — are announced here, once (swept#): the stored announcement, or a GuardFailed naming what may
 * have run (handlers/reconcile/decide-sweep.ts). Emitted before the mark, so a failure in between repeats the event,
 * which the notifier's per-decision claim turns into no second message.
 */
async function announceUnfinished(deps: ReconcileDeps, pipeline: string): Promise<void> {
  const now = deps.now();
  const unfinished = await deps.journals.unfinished(pipeline, new Date(now.getTime() - SWEEP_AFTER_MS), now);
  for (const u of unfinished) {
    if (await deps.journals.wasSwept(u)) continue;
    const announcement = decideSweep(u, deps.config.mode);
    deps.logger.warn('A decision was left unannounced by its function: the reconciler announces it', {
      owner: u.owner,
      decisionKey: u.entry.key.id,
      state: u.entry.state,
      announces: announcement.detailType,
    });
    if (u.entry.state === 'acted' && u.entry.final) {
      await deps.bus.emitStored(announcement.detailType, JSON.stringify(announcement.detail));
    } else {
      await deps.bus.emit(guardFailed, announcement.detail as never);
    }
    await deps.journals.markSwept(u, announcement.detailType, now);
  }
}

/** A restart is overdue this long after its deadline: its own timer fires at the deadline. */
const OVERDUE_GRACE_MS = 5 * 60_000;

/**
 * A tile restart whose timeout timer was lost (its creation failed every retry, or its event was dropped) would
 * never get its outcome: hand it to tile-follow as the timer would have, which claims the one outcome.
 */
async function handOverOverdueRestarts(deps: ReconcileDeps): Promise<void> {
  const overdue = await deps.tiles.overdueRestarts(new Date(deps.now().getTime() - OVERDUE_GRACE_MS));
  for (const r of overdue) {
    deps.logger.warn('Tile restart overdue without an outcome: handed to tile-follow', {
      deploymentId: r.deploymentId,
    });
    await deps.bus.emit(tileRestartTimerFired, {
      pipeline: r.pipeline,
      executionId: r.executionId,
      commitId: r.commitId,
      commitMessage: r.commitMessage,
      cluster: r.cluster,
      service: r.service,
      controller: r.controller,
      deploymentId: r.deploymentId,
      startedAt: r.startedAt,
      deadline: r.deadline,
    });
  }
}

/**
 * Reads: GetPipelineState, DescribeAlarms (+ tags on a cold start); GetItem only when an approval waits (its
 * release or restore record) or the guard's block holds one execution back (is it the guard's restore?), and the
 * run's own announcement when there is nothing to do (a retry of this run after its PutEvents failed).
 */
async function reconcilePipeline(
  deps: ReconcileDeps,
  pipeline: GuardedPipeline,
  runId: string,
  invocation: Invocation,
): Promise<void> {
  // Independent reads, sent together.
  const [view, alarms] = await Promise.all([
    deps.transitions.getProdView(pipeline),
    deps.alarms.selectedAlarms(pipeline.devAlarms),
  ]);
  const input: ReconcileInput = {
    view,
    alarms,
    release: 'not-loaded',
    prodStage: pipeline.prodStage,
    insufficientData: deps.config.insufficientData,
    now: deps.now(),
  };
  const decision = await decide(deps, pipeline, input);
  deps.logger.info('Reconcile decision', { decision, pipeline: pipeline.name });
  if (decision.kind === 'promote-due' || decision.kind === 'promote-restore') {
    await handOver(deps, pipeline, decision);
    return;
  }
  // One announcement per pipeline and run, keyed by the Scheduled Event's id: the same on Lambda's retries of
  // this run, which find the state converged (nothing to do) and send what the first attempt staged.
  const runKey = decisionKeyOf(pipeline.name, 'reconciler', runId);
  if (decision.kind === 'ignore') {
    await deps.actor.resume(runKey, invocation);
    return;
  }
  // What changes nothing in the pipeline (observe mode, a transition someone else holds closed) would be decided
  // again by every run: keyed by what it is about, it is announced once.
  const unchanged =
    deps.config.mode === 'observe' ||
    decision.kind === 'respect-lift' ||
    (decision.kind === 'unblock' && !decision.enable);
  await actOnGate(deps, pipeline, decision, {
    trigger: 'reconciler',
    announceKey: unchanged ? decisionKeyOf(pipeline.name, decisionKey(decision, input.view)) : runKey,
    now: input.now,
    invocation,
  });
}

type Decided = Exclude<ReconcileDecision, { kind: `need-${string}` }>;

/** Asks the pure decision what it needs next and reads just that, until it decides. */
async function decide(
  deps: ReconcileDeps,
  pipeline: GuardedPipeline,
  input: ReconcileInput,
): Promise<Decided> {
  const restoreOf = async (id: string) => (await deps.restores.getRestore(pipeline.name, id)) ?? 'none';
  for (;;) {
    const decision = decideReconcile(input);
    switch (decision.kind) {
      case 'need-release':
        input.release = await deps.ledger.getRelease(pipeline.name, decision.executionId);
        break;
      case 'need-restore':
        input.waitingRestore = await restoreOf(decision.executionId);
        break;
      case 'need-inbound-restore':
        input.inboundRestore = await restoreOf(decision.executionId);
        break;
      default:
        return decision;
    }
  }
}

/**
 * Choreography: the promote function owns approvals; a BakeTimerFired (`trigger: reconciler`) asks it to decide
 * now. A restore has no release record to pass on: promote reads what it needs itself.
 */
async function handOver(
  deps: ReconcileDeps,
  pipeline: GuardedPipeline,
  decision: Extract<Decided, { kind: 'promote-due' | 'promote-restore' }>,
): Promise<void> {
  if (decision.kind === 'promote-restore') {
    const { restoreExecutionId, targetCommitId } = decision.restore;
    await deps.bus.emit(bakeTimerFired, {
      pipeline: pipeline.name,
      executionId: restoreExecutionId,
      commitId: targetCommitId,
      trigger: 'reconciler',
    });
    return;
  }
  const { executionId, devSucceededAt, bakeEndsAt, commitId, commitMessage } = decision.release;
  await deps.bus.emit(bakeTimerFired, {
    pipeline: pipeline.name,
    executionId,
    devSucceededAt,
    bakeEndsAt,
    commitId,
    commitMessage,
    trigger: 'reconciler',
  });
}
