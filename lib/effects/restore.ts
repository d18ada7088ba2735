import type { EffectSpec, Executor } from '../act/intent';
import type { RollbackPipeline, SourceRevisionOverride } from '../aws/rollback-codepipeline';
import type { RollbackLedger, RestoreRecord } from '../aws/rollback-ledger';

type RestoreParams = {
  pipeline: string;
  stage: string;
  targetExecutionId: string;
  path: 'rollback-stage' | 'restart';
  pathReason?: string;
  sourceRevisions: SourceRevisionOverride[];
  requestToken: string;
};

type RecordParams = Omit<RestoreRecord, 'restoreExecutionId'>;

export function restoreEffect(params: RestoreParams): EffectSpec {
  return {
    id: 'restore',
    kind: 'restore',
    call:
      params.path === 'rollback-stage' ? 'codepipeline.RollbackStage' : 'codepipeline.StartPipelineExecution',
    resource: `pipeline ${params.pipeline}, stage ${params.stage}, to ${params.targetExecutionId}`,
    params,
    essential: true,
  };
}

/** Marks the restore as the guard's: the Prod gate lets it pass, and its own failure is never rolled back. */
export function recordRestoreEffect(params: RecordParams): EffectSpec {
  return {
    id: 'record-restore',
    kind: 'record-restore',
    call: 'dynamodb.PutItem',
    resource: `the guard's restore record of ${params.pipeline}`,
    params,
    requires: ['restore'],
  };
}

export type RestoreEffectDeps = {
  codepipeline: Pick<RollbackPipeline, 'rollbackStage' | 'startWithRevisions' | 'findRollback'>;
  ledger: Pick<RollbackLedger, 'recordRestore'>;
  now: () => Date;
};

/**
 * The restore's writes. RollbackStage has no idempotency token: a retry first looks for the rollback execution an
 * earlier attempt started. The restart path carries a clientRequestToken derived from the failed execution, so
 * starting it again returns the same execution.
 */
export function restoreExecutors(deps: RestoreEffectDeps): Record<string, Executor> {
  const restart = async (p: RestoreParams, pathReason: string | undefined) => {
    const id = await deps.codepipeline.startWithRevisions(p.pipeline, p.sourceRevisions, p.requestToken);
    if (!id) throw new Error('StartPipelineExecution answered without an execution id');
    return {
      kind: 'done' as const,
      call: 'codepipeline.StartPipelineExecution',
      fields: { rollbackExecutionId: id, path: 'restart', pathReason },
    };
  };
  const restore: Executor = {
    async apply(p: RestoreParams) {
      if (p.path === 'restart') return restart(p, p.pathReason);
      const out = await deps.codepipeline.rollbackStage(p.pipeline, p.stage, p.targetExecutionId);
      if (out.kind === 'started' && out.executionId) {
        return {
          kind: 'done',
          fields: { rollbackExecutionId: out.executionId, path: p.path, pathReason: p.pathReason },
        };
      }
      const why = out.kind === 'refused' ? out.why : 'RollbackStage answered without an execution id';
      return restart(
        p,
        `CodePipeline refused RollbackStage (${why}): restarted with the known good revisions`,
      );
    },
    async recognise(p: RestoreParams, ctx) {
      // Look for the execution an earlier attempt started: RollbackStage's (rollback metadata), or a restart's
      // (the known good revisions, started since the intent) — also on the restart path, whose clientRequestToken
      // makes a repeat harmless but which, after its answer was lost on the last attempt, must still be found.
      const found = await deps.codepipeline.findRollback(
        p.pipeline,
        p.targetExecutionId,
        ctx.since,
        p.sourceRevisions,
      );
      if (!found) return 'absent';
      return {
        kind: 'done',
        ...(found.path === 'restart' ? { call: 'codepipeline.StartPipelineExecution' } : {}),
        fields: { rollbackExecutionId: found.executionId, path: found.path, pathReason: p.pathReason },
      };
    },
    remedy: (p: RestoreParams) =>
      `restore by hand: roll ${p.stage} of ${p.pipeline} back to ${p.targetExecutionId} (console: Stage → Roll back), or release its commit again`,
  };
  const record: Executor = {
    async apply(p: RecordParams, ctx) {
      const restoreExecutionId = String(ctx.prior.rollbackExecutionId ?? '');
      const path = ctx.prior.path === 'restart' ? 'restart' : 'rollback-stage';
      await deps.ledger.recordRestore({ ...p, restoreExecutionId, path }, deps.now());
      return { kind: 'done' };
    },
    remedy: () =>
      "the restore runs but is not recorded as the guard's: the Prod gate holds it like any release (approve it by hand)",
  };
  return { restore, 'record-restore': record };
}
