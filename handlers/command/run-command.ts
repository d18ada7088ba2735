import { createHash } from 'node:crypto';
import { findPipeline, type GuardConfig, type GuardedPipeline } from '../../config/schema';
import type { HoldTimerFired } from '../../events/guard/hold-timer-fired';
import { personCommand, type HoldFact, type PersonCommand } from '../../events/guard/person-command';
import type { SlackOrigin } from '../../events/guard/slack-command-requested';
import { guardFailed } from '../../events/guard/guard-failed';
import { announcement, type Actor, type Invocation } from '../../lib/act/act';
import { decisionKeyOf } from '../../lib/act/journal';
import type { CodePipelineGateway } from '../../lib/aws/codepipeline';
import { standingHolds, type Holds, type Overrides } from '../../lib/aws/holds';
import type { History } from '../../lib/aws/history';
import type { Ledger } from '../../lib/aws/ledger';
import type { ProdTransition } from '../../lib/aws/prod-transition';
import { enableTransitionEffect, retryGateEffect } from '../../lib/effects/gate';
import { parseGuardReason } from '../../lib/transition-reason';
import { freezeStateAt } from '../../lib/freeze/freeze-state';
import { history, type HistoryRequest } from './history';
import {
  endHoldsEffect,
  holdTimerEffect,
  placeHoldEffect,
  recordOverrideEffect,
} from '../../lib/effects/hold';

export type CommandDeps = {
  config: GuardConfig;
  holds: Pick<Holds, 'list'>;
  overrides: Pick<Overrides, 'get'>;
  codepipeline: Pick<CodePipelineGateway, 'getGateState'>;
  transitions: Pick<ProdTransition, 'getProdView'>;
  releases: Pick<Ledger, 'getRelease' | 'releasesSince'>;
  history: Pick<History, 'list' | 'latest'>;
  actor: Actor;
  now: () => Date;
};

/**
 * A person, as IAM says who signed the request (never a field the caller fills in), or as Slack signed it
 * (handlers/command/from-slack.ts): then `arn` names the Slack user and `slack` where the command came from.
 */
export type Caller = { arn: string; accountId?: string; slack?: SlackOrigin };

export type CommandRequest =
  | { command: 'hold'; pipeline: string; reason: string; until?: string }
  | { command: 'release-hold'; pipeline: string; reason?: string }
  | { command: 'promote-now'; pipeline: string; reason: string; execution?: string; despiteAlarm?: boolean }
  | { command: 'lift-block'; pipeline: string; reason: string }
  | { command: 'rollback-now'; pipeline: string; reason: string }
  | { command: 'status'; pipeline?: string }
  | HistoryRequest;

/** What the person is told: HTTP status and a sentence (plus details for `--json`). */
export type CommandAnswer = { status: number; ok: boolean; message: string; [detail: string]: unknown };

const refused = (status: number, message: string): CommandAnswer => ({ status, ok: false, message });

/** A hold's id: the same request retried (same person, pipeline, reason and until, within the second) is one hold. */
export function holdIdOf(
  caller: Caller,
  request: { pipeline: string; reason: string; until?: string },
  at: Date,
) {
  const digest = createHash('sha256')
    .update(JSON.stringify([caller.arn, request.pipeline, request.reason, request.until ?? '']))
    .digest('hex')
    .slice(0, 10);
  return `h-${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}-${digest}`;
}

/** hold, release-hold, status: each a decision of the guard, recorded and announced with who, why and until when. */
export async function runCommand(
  deps: CommandDeps,
  caller: Caller,
  request: CommandRequest,
  invocation: Invocation,
): Promise<CommandAnswer> {
  if (request.command === 'status') return status(deps, request.pipeline);
  if (request.command === 'history') return history(deps, request);
  const pipeline = findPipeline(deps.config, request.pipeline);
  if (!pipeline) {
    return refused(404, `${request.pipeline} is not a pipeline this guard watches (${names(deps.config)})`);
  }
  if (request.command === 'hold') return hold(deps, pipeline, caller, request, invocation);
  if (request.command === 'promote-now') return promoteNow(deps, pipeline, caller, request, invocation);
  if (request.command === 'lift-block') return liftBlock(deps, pipeline, caller, request, invocation);
  if (request.command === 'rollback-now') return rollbackNow(deps, pipeline, caller, request, invocation);
  return releaseHold(deps, pipeline, caller, request, invocation);
}

async function hold(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  caller: Caller,
  request: Extract<CommandRequest, { command: 'hold' }>,
  invocation: Invocation,
): Promise<CommandAnswer> {
  const now = deps.now();
  if (request.until && new Date(request.until) <= now) {
    return refused(400, `until ${request.until} is not in the future`);
  }
  const placed: HoldFact = {
    holdId: holdIdOf(caller, request, now),
    by: caller.arn,
    reason: request.reason,
    since: now.toISOString(),
    ...(request.until ? { until: new Date(request.until).toISOString() } : {}),
  };
  const standing = standingHolds(await deps.holds.list(pipeline.name), now);
  const key = decisionKeyOf(pipeline.name, 'hold', placed.holdId);
  const effects = [placeHoldEffect({ pipeline: pipeline.name, hold: placed })];
  if (placed.until) {
    effects.push(
      holdTimerEffect({
        name: `hold-${placed.holdId}`,
        payload: { pipeline: pipeline.name, holdId: placed.holdId, until: placed.until },
      }),
    );
  }
  const summary = `${pipeline.name} held by ${caller.arn}${placed.until ? ` until ${placed.until}` : ''}: ${request.reason}`;
  await deps.actor.act(
    key,
    {
      primary: commandAnnouncement(key, deps, caller.slack, {
        command: 'hold',
        pipeline: pipeline.name,
        by: caller.arn,
        reason: request.reason,
        until: placed.until,
        outcome: 'done',
        holds: [placed],
        standing: [...standing.filter((h) => h.holdId !== placed.holdId), placed],
        summary,
      }),
      fallback: notRecorded(
        key,
        deps,
        pipeline,
        `${pipeline.name} is not held: the hold could not be recorded`,
      ),
      effects,
    },
    invocation,
  );
  // Read back what the world holds: the answer is the truth, whatever the write's own answer was.
  const recorded = (await deps.holds.list(pipeline.name)).some((h) => h.holdId === placed.holdId);
  if (!recorded)
    return refused(503, `${pipeline.name} is not held: the hold could not be recorded; try again`);
  return { status: 200, ok: true, message: observeNote(deps, summary), hold: placed };
}

async function releaseHold(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  caller: Caller,
  request: Extract<CommandRequest, { command: 'release-hold' }>,
  invocation: Invocation,
): Promise<CommandAnswer> {
  const now = deps.now();
  const standing = standingHolds(await deps.holds.list(pipeline.name), now);
  if (standing.length === 0) return refused(409, `${pipeline.name} is not held: nothing to release`);
  return endHolds(
    deps,
    pipeline,
    standing,
    [],
    { by: caller.arn, reason: request.reason, expired: false, slack: caller.slack },
    invocation,
  );
}

/**
 * Break glass: record the person's promote-now of the execution waiting at the gate and hand it to the gate, which
 * approves it before its bake is over — or refuses while a selected Dev alarm fires, unless `despiteAlarm` — and
 * says exactly what it skipped. When nothing waits but the gate rejected the Prod stage's latest execution (an
 * alarm during its bake), that execution's approval runs again (RetryStageExecution) after the override is recorded,
 * and the gate decides it the same way.
 */
async function promoteNow(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  caller: Caller,
  request: Extract<CommandRequest, { command: 'promote-now' }>,
  invocation: Invocation,
): Promise<CommandAnswer> {
  const view = await deps.transitions.getProdView(pipeline);
  const waiting = view.waiting?.executionId;
  const rejected =
    !waiting && view.gate?.stageStatus === 'Failed' && view.gate.status === 'Failed'
      ? view.gate.executionId
      : undefined;
  const target = waiting ?? rejected;
  if (!target) {
    return refused(
      409,
      `nothing waits at the ${pipeline.prodStage} gate of ${pipeline.name}, and its latest execution was not rejected there`,
    );
  }
  if (request.execution && request.execution !== target) {
    return refused(
      409,
      waiting
        ? `${request.execution} is not waiting at the gate of ${pipeline.name} (${waiting} is)`
        : `${request.execution} cannot run the ${pipeline.prodStage} gate of ${pipeline.name} again: only the stage's latest execution can (${target}, rejected at the gate)`,
    );
  }
  const observe = deps.config.mode === 'observe';
  const retry = rejected !== undefined && !observe;
  const now = deps.now();
  const despiteAlarm = request.despiteAlarm === true;
  // Each request is its own decision (a second one may add despiteAlarm), keyed by when it came.
  const key = decisionKeyOf(pipeline.name, 'promote-now', target, now.toISOString());
  const summary =
    `promote-now of ${target}${rejected ? ' (rejected at the gate)' : ''} requested by ${caller.arn}` +
    `${despiteAlarm ? ' (despite a firing Dev alarm)' : ''}: ${request.reason}. ` +
    (retry
      ? `Its ${pipeline.prodStage} approval runs again and the gate decides it then.`
      : 'The gate decides it now.');
  await deps.actor.act(
    key,
    {
      primary: commandAnnouncement(key, deps, caller.slack, {
        command: 'promote-now',
        pipeline: pipeline.name,
        by: caller.arn,
        reason: request.reason,
        outcome: 'requested',
        executionId: target,
        despiteAlarm,
        summary,
      }),
      fallback: notRecorded(
        key,
        deps,
        pipeline,
        `the promote-now of ${target} could not be recorded: not approved`,
      ),
      effects: [
        recordOverrideEffect({
          pipeline: pipeline.name,
          executionId: target,
          by: caller.arn,
          reason: request.reason,
          at: now.toISOString(),
          despiteAlarm,
        }),
        ...(retry ? [retryGateEffect(pipeline, target)] : []),
      ],
    },
    invocation,
  );
  const recorded = await deps.overrides.get(pipeline.name, target);
  if (recorded?.at !== now.toISOString()) {
    return refused(503, `the promote-now of ${target} could not be recorded: not approved; try again`);
  }
  if (retry) {
    const after = await deps.transitions.getProdView(pipeline);
    if (after.gate?.executionId === target && after.gate.stageStatus === 'Failed') {
      return refused(
        503,
        `the promote-now of ${target} is recorded, but its ${pipeline.prodStage} stage could not run again: retry that stage in the CodePipeline console, and the gate approves it under the recorded promote-now`,
      );
    }
  }
  return { status: 202, ok: true, message: observeNote(deps, summary), executionId: target };
}

/**
 * Lift the guard's block: reopen the Prod transition the guard closed while its alarm still fires. Only the guard's
 * own block (its reason on the transition); a transition someone else closed is theirs to open (invariant 2). The
 * alarm gate and the reconciler then see the transition reopened by this function's role — a person's action, like
 * a lift in the console — after the alarms entered their state, and leave Prod open for that alarm episode: until
 * one of them recovers and fires again, or another selected alarm fires (handlers/alarm-gate/decide-gate.ts).
 */
async function liftBlock(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  caller: Caller,
  request: Extract<CommandRequest, { command: 'lift-block' }>,
  invocation: Invocation,
): Promise<CommandAnswer> {
  const { transition } = await deps.transitions.getProdView(pipeline);
  if (transition.enabled) {
    return refused(
      409,
      `the transition into ${pipeline.prodStage} of ${pipeline.name} is open: nothing to lift`,
    );
  }
  const block = parseGuardReason(transition.reason);
  if (!block) {
    return refused(
      409,
      `the transition into ${pipeline.prodStage} of ${pipeline.name} was closed by ${transition.changedBy ?? 'someone else'} ` +
        `(${transition.reason ?? 'no reason'}), not by the guard: open it in the CodePipeline console if you mean to`,
    );
  }
  const observe = deps.config.mode === 'observe';
  // One lift per block: the same block lifted twice (a retry, a second person) is one decision.
  const key = decisionKeyOf(
    pipeline.name,
    'lift-block',
    transition.reason ?? '',
    transition.changedAt?.toISOString() ?? '',
  );
  const summary =
    `${caller.arn} lifted the guard's block of ${pipeline.prodStage} (${block.alarmName} in ${block.state} since ` +
    `${block.since.toISOString()}): ${request.reason}. Prod is open again; the guard respects it for this alarm ` +
    `episode — until an alarm that fired recovers and fires again, or another selected alarm fires. The gate still ` +
    `approves only a full, quiet bake.`;
  await deps.actor.act(
    key,
    {
      primary: commandAnnouncement(key, deps, caller.slack, {
        command: 'lift-block',
        pipeline: pipeline.name,
        by: caller.arn,
        reason: request.reason,
        outcome: 'done',
        summary,
      }),
      fallback: notRecorded(
        key,
        deps,
        pipeline,
        `the block of ${pipeline.name} is not lifted: Prod stays closed`,
      ),
      effects: observe ? [] : [enableTransitionEffect(pipeline, transition.reason)],
    },
    invocation,
  );
  if (!observe) {
    const after = await deps.transitions.getProdView(pipeline);
    if (!after.transition.enabled) {
      return refused(503, `the block of ${pipeline.name} is not lifted: Prod stays closed; try again`);
    }
  }
  return { status: 200, ok: true, message: observeNote(deps, summary) };
}

/**
 * Roll back now: a person asks the rollback reaction to restore the most recent release before the one now in Prod
 * that succeeded end to end. The command records and announces the request; the rollback function (the only role
 * that may restore) decides it on its own path, with its loop guards: one restore per release in Prod, never a
 * rollback of a rollback, never to the release now in Prod (handlers/rollback/decide-rollback-now.ts).
 */
async function rollbackNow(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  caller: Caller,
  request: Extract<CommandRequest, { command: 'rollback-now' }>,
  invocation: Invocation,
): Promise<CommandAnswer> {
  const now = deps.now();
  const key = decisionKeyOf(pipeline.name, 'rollback-now', caller.arn, now.toISOString());
  const summary =
    `rollback-now of ${pipeline.name} requested by ${caller.arn}: ${request.reason}. The rollback reaction restores ` +
    `the last release before the one now in ${pipeline.prodStage} that succeeded end to end, and says what it did.`;
  const outcome = await deps.actor.act(
    key,
    {
      primary: commandAnnouncement(key, deps, caller.slack, {
        command: 'rollback-now',
        pipeline: pipeline.name,
        by: caller.arn,
        reason: request.reason,
        outcome: 'requested',
        summary,
      }),
      effects: [],
    },
    invocation,
  );
  return { status: 202, ok: true, message: observeNote(deps, summary), outcome };
}

/** A hold's own timer: ends it if it still stands, and lets the gate look at the waiting execution again. */
export async function holdTimeUp(
  deps: CommandDeps,
  timer: HoldTimerFired,
  invocation: Invocation,
): Promise<void> {
  const pipeline = findPipeline(deps.config, timer.pipeline);
  if (!pipeline) return;
  const now = deps.now();
  const all = await deps.holds.list(pipeline.name);
  const hold = all.find((h) => h.holdId === timer.holdId);
  // Ended by a person already, or not this timer's hold (its until moved): nothing to say.
  if (!hold || hold.endedAt || hold.until !== new Date(timer.until).toISOString()) return;
  const others = standingHolds(all, now).filter((h) => h.holdId !== hold.holdId);
  const { holdId, by, reason, since, until } = hold;
  await endHolds(
    deps,
    pipeline,
    [{ holdId, by, reason, since, ...(until ? { until } : {}) }],
    others,
    { by: 'release-guard (hold expired)', expired: true },
    invocation,
  );
}

async function endHolds(
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  ending: HoldFact[],
  remaining: HoldFact[],
  who: { by: string; reason?: string; expired: boolean; slack?: SlackOrigin },
  invocation: Invocation,
): Promise<CommandAnswer> {
  const now = deps.now();
  const gate = remaining.length === 0 ? await deps.codepipeline.getGateState(pipeline) : undefined;
  const waitingExecutionId = gate?.waiting?.executionId;
  const ids = ending.map((h) => h.holdId);
  const key = decisionKeyOf(pipeline.name, 'release-hold', ...ids);
  const summary =
    `${who.expired ? 'Hold ended by itself' : `Released by ${who.by}`}: ${ending.length} hold(s) on ${pipeline.name}` +
    (remaining.length
      ? `; still held by ${remaining.map((h) => h.by).join(', ')}`
      : '; nothing holds it now');
  await deps.actor.act(
    key,
    {
      primary: commandAnnouncement(key, deps, who.slack, {
        command: 'release-hold',
        pipeline: pipeline.name,
        by: who.by,
        reason: who.reason,
        outcome: who.expired ? 'expired' : 'done',
        holds: ending,
        standing: remaining,
        waitingExecutionId,
        summary,
      }),
      fallback: notRecorded(
        key,
        deps,
        pipeline,
        `${pipeline.name} may still be held: the hold could not be ended`,
      ),
      effects: [endHoldsEffect({ pipeline: pipeline.name, holdIds: ids, by: who.by, at: now.toISOString() })],
    },
    invocation,
  );
  const still = standingHolds(await deps.holds.list(pipeline.name), deps.now()).filter((h) =>
    ids.includes(h.holdId),
  );
  if (still.length > 0)
    return refused(503, `${pipeline.name} is still held: the hold could not be ended; try again`);
  return {
    status: 200,
    ok: true,
    message: observeNote(deps, summary),
    released: ending,
    standing: remaining,
  };
}

/**
 * What the guard believes now, per pipeline: the Prod transition (open, or closed by whom and why), the execution
 * at the gate and its bake (minutes left, from the guard's release record), what waits to enter Prod, the standing
 * holds and the freeze windows (Change Calendars are read by the gate itself when it decides). Reads only.
 */
async function status(deps: CommandDeps, only: string | undefined): Promise<CommandAnswer> {
  const pipelines = only ? deps.config.pipelines.filter((p) => p.name === only) : deps.config.pipelines;
  if (only && pipelines.length === 0) {
    return refused(404, `${only} is not a pipeline this guard watches (${names(deps.config)})`);
  }
  const now = deps.now();
  const windows = freezeStateAt({ at: now, windows: deps.config.freeze?.windows ?? [] });
  const report = [];
  for (const p of pipelines) {
    const view = await deps.transitions.getProdView(p);
    const holds = standingHolds(await deps.holds.list(p.name), now);
    const atGate = view.waiting?.executionId;
    const release = atGate ? await deps.releases.getRelease(p.name, atGate) : undefined;
    const bakeLeft = release
      ? Math.ceil((Date.parse(release.bakeEndsAt) - now.getTime()) / 60_000)
      : undefined;
    // What left Dev and still bakes, not yet at the gate; only the newest can still be promoted (invariant 1).
    const recent = await deps.releases.releasesSince(p.name, new Date(now.getTime() - STATUS_LOOKBACK_MS));
    const passed = new Set([atGate, ...view.prodInbound]);
    const stillBaking = recent.filter(
      (r) => !passed.has(r.executionId) && Date.parse(r.bakeEndsAt) > now.getTime(),
    );
    const baking = stillBaking.map((r, i) => ({
      executionId: r.executionId,
      commitId: r.commitId,
      bake:
        i === stillBaking.length - 1
          ? bakeText(Date.parse(r.bakeEndsAt) - now.getTime())
          : 'superseded by a newer Dev success',
    }));
    const dev = view.dev?.status === 'InProgress' ? view.dev.executionId : undefined;
    const lastDecisions = (await deps.history.latest(p.name, STATUS_DECISIONS)).map((e) => ({
      at: e.at,
      decision: e.decision,
      ...(e.executionId ? { executionId: e.executionId } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.who ? { who: e.who } : {}),
    }));
    report.push({
      pipeline: p.name,
      prodTransition: view.transition.enabled
        ? { open: true }
        : {
            open: false,
            reason: view.transition.reason,
            by: view.transition.changedBy,
            since: view.transition.changedAt,
          },
      atTheGate: atGate && {
        executionId: atGate,
        commitId: release?.commitId,
        bake: release ? bakeText(bakeLeft! * 60_000) : 'not recorded by the guard',
      },
      inDev: dev,
      baking,
      waitingToEnterProd: view.prodInbound,
      holds,
      freezeWindows: windows.frozen ? windows.reasons : [],
      changeCalendars: deps.config.freeze?.changeCalendars ?? [],
      lastDecisions,
    });
  }
  const lines = report.map((r) =>
    [
      `${r.pipeline}:`,
      r.prodTransition.open ? 'Prod open' : `Prod closed (${r.prodTransition.reason ?? 'no reason'})`,
      r.atTheGate ? `${r.atTheGate.executionId} at the gate, ${r.atTheGate.bake}` : 'nothing at the gate',
      ...(r.inDev ? [`${r.inDev} deploying in Dev`] : []),
      ...r.baking.map((b) => `${b.executionId} (${b.commitId ?? 'commit unknown'}) ${b.bake}`),
      r.holds.length
        ? `held by ${r.holds.map((h) => `${h.by} since ${h.since}${h.until ? ` until ${h.until}` : ''} (${h.reason})`).join(', ')}`
        : 'not held',
      ...(r.freezeWindows.length ? [`frozen: ${r.freezeWindows.join('; ')}`] : []),
      ...(r.lastDecisions.length
        ? [
            `last decisions: ${r.lastDecisions
              .map(
                (d) =>
                  `${d.at} ${d.decision}${d.who ? ` by ${d.who}` : ''}${d.reason ? ` (${d.reason})` : ''}`,
              )
              .join('; ')}`,
          ]
        : []),
    ].join(' · '),
  );
  return { status: 200, ok: true, message: lines.join('\n'), mode: deps.config.mode, pipelines: report };
}

/** What is announced when the command's own record could not be written (its essential effect failed). */
function notRecorded(
  key: ReturnType<typeof decisionKeyOf>,
  deps: CommandDeps,
  pipeline: GuardedPipeline,
  consequence: string,
) {
  return announcement(key, guardFailed, {
    mode: deps.config.mode,
    reaction: 'command',
    pipeline: pipeline.name,
    error: { name: 'NotRecorded', message: 'the command could not be recorded' },
    consequence,
  });
}

function commandAnnouncement(
  key: ReturnType<typeof decisionKeyOf>,
  deps: CommandDeps,
  slack: SlackOrigin | undefined,
  detail: Omit<PersonCommand, 'mode' | 'decisionKey' | 'holds' | 'standing'> &
    Partial<Pick<PersonCommand, 'holds' | 'standing'>>,
) {
  // `holds` and `standing` default to none (the contract's defaults): only hold commands name them.
  return announcement(key, personCommand, {
    ...detail,
    holds: detail.holds ?? [],
    standing: detail.standing ?? [],
    ...(slack ? { slack } : {}),
    mode: deps.config.mode,
  });
}

/** In observe mode a command is recorded and announced as what it would have done. */
function observeNote(deps: CommandDeps, summary: string): string {
  return deps.config.mode === 'observe'
    ? `${summary} (observe mode: recorded and announced; the gate is answered by people, so a hold changes nothing yet)`
    : summary;
}

/** How many of the pipeline's last decisions status shows (the decision history, newest first). */
const STATUS_DECISIONS = 5;

/** How far back status looks for releases that left Dev (a bake is minutes to hours; at most a day here). */
const STATUS_LOOKBACK_MS = 24 * 60 * 60 * 1000;

const bakeText = (leftMs: number) =>
  leftMs > 0 ? `baking, ${Math.ceil(leftMs / 60_000)} min left` : 'bake over';

const names = (config: GuardConfig) => config.pipelines.map((p) => p.name).join(', ');
