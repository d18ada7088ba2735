import { createHash } from 'node:crypto';
import type { ExecutionFacts } from '../../lib/aws/codepipeline';
import { frozenUntil, type FreezeWindow } from '../../lib/freeze/windows';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import { restoresProd, type RestoreRecord } from '../../lib/aws/rollback-ledger';

/** What a Dev success of the guard's own restore means for the Prod gate (handlers/promote answers it). */
export type RestoreFacts = {
  failedExecutionId: string;
  failedStage?: string;
  /** A restore of a Prod failure: promote approves it when it reaches the gate, without a bake. */
  passesGateUnbaked: boolean;
};

export type BakeDecision = {
  kind: 'start-bake';
  release: ReleaseRecord;
  bakeMinutes: number;
  /**
   * Absent for a restore of a Prod failure: it needs no bake. A restore of a Dev failure keeps its timer, so
   * promote rejects it at the bake's end even if its gate's start event is lost.
   */
  timer?: { name: string; fireAt: Date };
  /**
   * When the bake ends inside a freeze window (config freeze.windows): a second timer when the windows open again,
   * so the baked execution is approved then, not a reconciler run later. Change Calendars are read only by the gate;
   * their reopening is the reconciler's (docs/freeze.md).
   */
  openTimer?: { name: string; fireAt: Date };
  restore?: RestoreFacts;
};

export type BakeInput = {
  pipeline: string;
  executionId: string;
  /** When the Dev stage succeeded: the event's time. */
  devSucceededAt: Date;
  execution: ExecutionFacts;
  bakeMinutes: number;
  /** The guard's record that this execution is a restore it started (handlers/rollback); undefined if not. */
  restore: RestoreRecord | undefined;
  prodStage: string;
  /** Config freeze.windows (none by default). */
  freezeWindows?: readonly FreezeWindow[];
  now: Date;
};

/** A timer that fires in the past would never fire: a late event still gets a timer a minute from now. */
const MIN_LEAD_MS = 60_000;

/** EventBridge event times drop the milliseconds: the real Dev success may be up to a second later. */
const EVENT_TIME_PRECISION_MS = 1_000;

export function decideBake(input: BakeInput): BakeDecision {
  const bakeEndsAt = new Date(
    input.devSucceededAt.getTime() + input.bakeMinutes * 60_000 + EVENT_TIME_PRECISION_MS,
  );
  const fireAt = new Date(Math.max(bakeEndsAt.getTime(), input.now.getTime() + MIN_LEAD_MS));
  const restore = restoreFacts(input);
  const opensAt = input.freezeWindows?.length ? frozenUntil(input.freezeWindows, fireAt) : fireAt;
  const timed = !restore?.passesGateUnbaked;
  return {
    kind: 'start-bake',
    bakeMinutes: input.bakeMinutes,
    ...(timed ? { timer: { name: bakeTimerName(input.pipeline, input.executionId), fireAt } } : {}),
    ...(timed && opensAt > fireAt
      ? { openTimer: { name: bakeTimerName(input.pipeline, input.executionId, 'open'), fireAt: opensAt } }
      : {}),
    ...(restore ? { restore } : {}),
    release: {
      pipeline: input.pipeline,
      executionId: input.executionId,
      devSucceededAt: input.devSucceededAt.toISOString(),
      bakeEndsAt: bakeEndsAt.toISOString(),
      commitId: input.execution.commitId,
      commitMessage: input.execution.commitMessage,
    },
  };
}

function restoreFacts({ restore, prodStage }: BakeInput): RestoreFacts | undefined {
  if (!restore) return undefined;
  return {
    failedExecutionId: restore.failedExecutionId,
    ...(restore.failedStage ? { failedStage: restore.failedStage } : {}),
    passesGateUnbaked: restoresProd(restore, prodStage),
  };
}

/**
 * Scheduler names are at most 64 characters of [0-9a-zA-Z-_.]; a pipeline name alone may be 100, so the
 * pipeline is folded into a short hash and the execution id (a UUID) is kept readable.
 */
export function bakeTimerName(pipeline: string, executionId: string, prefix = 'bake'): string {
  const pipelineHash = createHash('sha256').update(pipeline).digest('hex').slice(0, 8);
  const safeId = executionId.replace(/[^0-9a-zA-Z-_.]/g, '-');
  return `${prefix}-${pipelineHash}-${safeId}`.slice(0, 64);
}
