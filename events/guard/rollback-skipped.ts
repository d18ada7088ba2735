import * as z from 'zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/** A failure the guard saw and deliberately did not restore (or could not): said loudly, nothing more done. */
export const rollbackSkipped = guardContract(
  'RollbackSkipped',
  z.object({
    ...decisionKeyField,
    mode: modeField,
    pipeline: z.string().min(1),
    /** The pipeline execution that ended; absent for a CodeDeploy report (a deployment, not an execution). */
    executionId: z.string().min(1).optional(),
    commitId: z.string().optional(),
    failedStage: z.string().optional(),
    failedAction: z.string().optional(),
    reason: z.enum([
      'no-known-good-release',
      'rollback-of-rollback',
      'guard-rejection',
      'not-a-failure',
      'before-deploying-stages',
      'target-is-failing-commit',
      'rollback-failed',
      'codedeploy-report',
    ]),
    /** A person's rollback-now (handlers/command): who asked (IAM) and why; absent for a failure's own rollback. */
    requestedBy: z.object({ by: z.string().min(1), reason: z.string() }).optional(),
    /** One sentence a person can act on. */
    detail: z.string(),
    /** The known-good execution the guard meant to restore, when it had found one. */
    targetExecutionId: z.string().optional(),
    targetCommitId: z.string().optional(),
    /** For CodeDeploy failures: whether CodeDeploy rolled the deployment group back itself. */
    codeDeployRolledBack: z.boolean().optional(),
    codeDeploy: z
      .object({
        application: z.string(),
        deploymentGroup: z.string(),
        deploymentId: z.string(),
        /** The deployment CodeDeploy started to restore the previous revision, when it did. */
        rollbackDeploymentId: z.string().optional(),
        /** The failed deployment was itself CodeDeploy's rollback of this one. */
        rollbackOf: z.string().optional(),
        error: z.string().optional(),
      })
      .optional(),
  }),
);
export type RollbackSkipped = z.infer<typeof rollbackSkipped.detail>;
