import * as z from '../../lib/zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/** Execution `failedExecutionId` failed in a deploying stage; the guard restores the last known good release. */
export const rollbackStarted = /* @__PURE__ */ guardContract('RollbackStarted', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    pipeline: z.string().check(z.minLength(1)),
    failedExecutionId: z.string().check(z.minLength(1)),
    failedStage: z.string(),
    /**
     * True when the failed stage is the pipeline's Prod stage: only then does the restore pass the Prod gate
     * without a bake. A restore of a Dev failure restores Dev only (a restart of it is rejected at the gate).
     */
    failedInProd: z.optional(z.boolean()),
    failedAction: z.optional(z.string()),
    failedCommitId: z.optional(z.string()),
    failureSummary: z.optional(z.string()),
    /** rollback-stage: RollbackStage to the LKG execution; restart: StartPipelineExecution with its revisions. */
    path: z.enum(['rollback-stage', 'restart']),
    /** Why the fast path was not taken, when `path` is restart. */
    pathReason: z.optional(z.string()),
    targetExecutionId: z.string().check(z.minLength(1)),
    targetCommitId: z.optional(z.string()),
    targetCommitMessage: z.optional(z.string()),
    /** A person's rollback-now (handlers/command): who asked (IAM) and why; absent for a failure's own rollback. */
    requestedBy: z.optional(z.object({ by: z.string().check(z.minLength(1)), reason: z.string() })),
    /** The execution the restore started, when CodePipeline returned one. */
    rollbackExecutionId: z.optional(z.string()),
  }),
);
export type RollbackStarted = z.infer<typeof rollbackStarted.detail>;
