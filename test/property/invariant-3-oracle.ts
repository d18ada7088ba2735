/**
 * Safety invariant 3, judged from the simulated world (what CodePipeline really did) and the event each
 * restore call was made for: at most one automatic rollback per failed execution; never a rollback of a
 * rollback; never to a commit that is not known good (succeeded end to end before the restore, and not the
 * failing commit). Also: observe mode restores nothing, and every execution that ended without success is
 * announced exactly once (RollbackStarted or RollbackSkipped, or — when its facts could not be read — the rollback's
 * GuardFailed). Once means one decision key: an event re-sent under the same key is one Slack message.
 */
import type { ScenarioRun } from '../../simulator/run-scenario';
import type { Execution } from '../../simulator/world/codepipeline-world';
import { PIPELINE, START_MS } from './release-plans';
import { timelineMs } from './invariant-1-oracle';

const RESTORES = new Set(['RollbackStage', 'StartPipelineExecution']);
const isRestore = (e: Execution) => e.type === 'ROLLBACK' || e.sourceOverride === true;

type RestoreCall = {
  failedId: string;
  atMs: number;
  operation: string;
  token?: string;
  restored?: Execution;
};

/** Each successful restore call, attributed to the execution of the event the rollback function handled. */
function restoreCalls(run: ScenarioRun): RestoreCall[] {
  const events = new Map(run.delivered.map((e) => [e.id, e]));
  const calls: RestoreCall[] = [];
  let handling = '';
  for (const t of run.timeline) {
    if (t.kind === 'event') handling = String(events.get(t.id)?.detail['execution-id'] ?? '');
    if (t.kind === 'aws-call' && t.caller === 'rollback' && RESTORES.has(t.operation) && !t.error) {
      const token = t.params.clientRequestToken;
      calls.push({
        failedId: handling,
        atMs: START_MS + timelineMs(t.at),
        operation: t.operation,
        token: typeof token === 'string' ? token : undefined,
      });
    }
  }
  // The world creates one execution per restore call, in call order; a repeated token creates none.
  const p = run.world.pipeline(PIPELINE);
  const created = [...p.order]
    .reverse()
    .map((id) => p.executions.get(id)!)
    .filter(isRestore);
  const byToken = new Map<string, Execution>();
  for (const call of calls) {
    call.restored = (call.token && byToken.get(call.token)) || created.shift();
    if (call.token && call.restored) byToken.set(call.token, call.restored);
  }
  return calls;
}

export function invariant3Violations(run: ScenarioRun): string[] {
  const p = run.world.pipeline(PIPELINE);
  const all = [...p.executions.values()];
  const violations: string[] = [];
  const calls = restoreCalls(run);
  if (run.scenario.config.mode === 'observe' && calls.length > 0) {
    violations.push(`observe mode made ${calls.length} restore call(s)`);
  }
  // A restore is an execution the world created: a start repeated with its clientRequestToken (a retry after a
  // lost answer) creates none, so it is the same restore.
  const perFailure = new Map<string, Set<string>>();
  for (const call of calls) {
    const restores = perFailure.get(call.failedId) ?? new Set<string>();
    restores.add(call.restored?.id ?? `${call.operation} ${restores.size}`);
    perFailure.set(call.failedId, restores);
    violations.push(...judgeRestore(call, p.executions.get(call.failedId), all));
  }
  for (const [id, r] of perFailure) if (r.size > 1) violations.push(`${id} was restored ${r.size} times`);
  violations.push(...announcementViolations(run, all));
  violations.push(...busyRestoreViolations(run));
  return violations;
}

/** RollbackStage answered "the stage is running" (either error AWS may send). */
export const BUSY_ROLLBACK_ERRORS = ['UnableToRollbackStageException', 'ConflictException'];

/** The RollbackStage calls CodePipeline refused because the stage was running, by the execution they were for. */
export function busyRollbackStages(run: ScenarioRun): { failedId: string; error: string }[] {
  const events = new Map(run.delivered.map((e) => [e.id, e]));
  const hits: { failedId: string; error: string }[] = [];
  let handling = '';
  for (const t of run.timeline) {
    if (t.kind === 'event') handling = String(events.get(t.id)?.detail['execution-id'] ?? '');
    if (t.kind !== 'aws-call' || t.caller !== 'rollback' || t.operation !== 'RollbackStage' || !t.error)
      continue;
    const error = BUSY_ROLLBACK_ERRORS.find((name) => t.error!.startsWith(name));
    if (error && !t.fault && t.error.includes(' is running')) hits.push({ failedId: handling, error });
  }
  return hits;
}

/**
 * A restore refused because the stage runs ends in an announced outcome for its failed execution: the restart it
 * fell back to (RollbackStarted), or why not (RollbackSkipped, GuardFailed) — never silence.
 */
function busyRestoreViolations(run: ScenarioRun): string[] {
  const announced = new Set<string>();
  for (const t of run.timeline) {
    if (t.kind !== 'emitted') continue;
    const id = t.detailType === 'RollbackStarted' ? t.detail.failedExecutionId : t.detail.executionId;
    if (typeof id === 'string' && /^(Rollback|GuardFailed)/.test(t.detailType)) announced.add(id);
  }
  return busyRollbackStages(run)
    .filter((hit) => !announced.has(hit.failedId))
    .map(
      (hit) =>
        `RollbackStage for ${hit.failedId} was refused (${hit.error}) and nothing was announced for it`,
    );
}

function judgeRestore(call: RestoreCall, failed: Execution | undefined, all: Execution[]): string[] {
  const r = call.restored;
  if (!failed) return [`a restore for ${call.failedId}, which is no execution`];
  if (!r) return [`${call.operation} for ${failed.id} created no execution`];
  const v: string[] = [];
  if (isRestore(failed)) v.push(`${failed.id} is itself a rollback, and was rolled back`);
  if (failed.status !== 'Failed') v.push(`${failed.id} was restored but is ${failed.status}`);
  const deployFailed = failed.actions.some(
    (a) => a.status === 'Failed' && a.category !== 'Approval' && (a.stage === 'Dev' || a.stage === 'Prod'),
  );
  if (!deployFailed) v.push(`${failed.id} was restored but no Dev or Prod deploy action of it failed`);
  if (r.commitId === failed.commitId) v.push(`${failed.id} was "restored" to its own commit ${r.commitId}`);
  const knownGood = all.some(
    (y) =>
      y !== failed &&
      y.commitId === r.commitId &&
      y.status === 'Succeeded' &&
      y.updatedAt.getTime() <= call.atMs,
  );
  if (!knownGood) v.push(`${failed.id} was restored to ${r.commitId}, which had not succeeded end to end`);
  if (r.rollbackOf) {
    const target = all.find((y) => y.id === r.rollbackOf!.targetId);
    if (!target || target.type === 'ROLLBACK' || target.status !== 'Succeeded') {
      v.push(
        `RollbackStage for ${failed.id} targeted ${r.rollbackOf.targetId}, not a successful standard execution`,
      );
    }
  }
  return v;
}

/** Every execution that ended without success is announced once; nothing else is. */
function announcementViolations(run: ScenarioRun, all: Execution[]): string[] {
  const keys = new Map<string, Set<string>>();
  for (const t of run.timeline) {
    if (t.kind !== 'emitted') continue;
    const id =
      t.detailType === 'RollbackStarted'
        ? t.detail.failedExecutionId
        : t.detailType === 'RollbackSkipped' ||
            (t.detailType === 'GuardFailed' && t.detail.reaction === 'rollback')
          ? t.detail.executionId
          : undefined;
    if (typeof id !== 'string') continue;
    const key = typeof t.detail.decisionKey === 'string' ? t.detail.decisionKey : `${t.at} ${t.detailType}`;
    keys.set(id, (keys.get(id) ?? new Set()).add(key));
  }
  const announced = new Map([...keys].map(([id, k]) => [id, k.size]));
  const ended = all.filter(
    (e) => e.status === 'Failed' || e.status === 'Superseded' || e.status === 'Stopped',
  );
  const v = ended.flatMap((e) => {
    const n = announced.get(e.id) ?? 0;
    return n === 1 ? [] : [`${e.id} ended ${e.status} and was announced ${n} times`];
  });
  for (const [id, n] of announced) {
    if (!ended.some((e) => e.id === id))
      v.push(`${n} rollback announcement(s) for ${id}, which did not end unsuccessfully`);
  }
  return v;
}
