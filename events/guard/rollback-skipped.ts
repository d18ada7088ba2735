import * as z from '../../lib/zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/** A failure the guard saw and deliberately did not restore (or could not): said loudly, nothing more done. */
export const rollbackSkipped = /* @__PURE__ */ guardContract('RollbackSkipped', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    pipeline: z.string().check(z.minLength(1)),
    /** The pipeline execution that ended; absent for a CodeDeploy report (a deployment, not an execution). */
    executionId: z.optional(z.string().check(z.minLength(1))),
    commitId: z.optional(z.string()),
    failedStage: z.optional(z.string()),
    failedAction: z.optional(z.string()),
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
    requestedBy: z.optional(z.object({ by: z.string().check(z.minLength(1)), reason: z.string() })),
    /** One sentence a person can act on. */
    detail: z.string(),
    /** The known-good execution the guard meant to restore, when it had found one. */
    targetExecutionId: z.optional(z.string()),
    targetCommitId: z.optional(z.string()),
    /** For CodeDeploy failures: whether CodeDeploy rolled the deployment group back itself. */
    codeDeployRolledBack: z.optional(z.boolean()),
    codeDeploy: z.optional(
      z.object({
        application: z.string(),
        deploymentGroup: z.string(),
        deploymentId: z.string(),
        /** The deployment CodeDeploy started to restore the previous revision, when it did. */
        rollbackDeploymentId: z.optional(z.string()),
        /** The failed deployment was itself CodeDeploy's rollback of this one. */
        rollbackOf: z.optional(z.string()),
        error: z.optional(z.string()),
      }),
    ),
  }),
);
export type RollbackSkipped = z.infer<typeof rollbackSkipped.detail>;
