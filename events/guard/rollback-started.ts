import * as z from 'zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/** Execution `failedExecutionId` failed in a deploying stage; the guard restores the last known good release. */
export const rollbackStarted = guardContract(
  'RollbackStarted',
  z.object({
    ...decisionKeyField,
    mode: modeField,
    pipeline: z.string().min(1),
    failedExecutionId: z.string().min(1),
    failedStage: z.string(),
    /**
     * True when the failed stage is the pipeline's Prod stage: only then does the restore pass the Prod gate
     * without a bake. A restore of a Dev failure restores Dev only (a restart of it is rejected at the gate).
     */
    failedInProd: z.boolean().optional(),
    failedAction: z.string().optional(),
    failedCommitId: z.string().optional(),
    failureSummary: z.string().optional(),
    /** rollback-stage: RollbackStage to the LKG execution; restart: StartPipelineExecution with its revisions. */
    path: z.enum(['rollback-stage', 'restart']),
    /** Why the fast path was not taken, when `path` is restart. */
    pathReason: z.string().optional(),
    targetExecutionId: z.string().min(1),
    targetCommitId: z.string().optional(),
    targetCommitMessage: z.string().optional(),
    /** A person's rollback-now (handlers/command): who asked (IAM) and why; absent for a failure's own rollback. */
    requestedBy: z.object({ by: z.string().min(1), reason: z.string() }).optional(),
    /** The execution the restore started, when CodePipeline returned one. */
    rollbackExecutionId: z.string().optional(),
  }),
);
export type RollbackStarted = z.infer<typeof rollbackStarted.detail>;
