import * as z from 'zod';
import { guardContract, modeField } from './guard-event';

/** A failure the guard saw and deliberately did not restore (or could not): said loudly, nothing more done. */
export const rollbackSkipped = guardContract(
  'RollbackSkipped',
  z.object({
    mode: modeField,
    pipeline: z.string().min(1),
    executionId: z.string().min(1),
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
    /** One sentence a person can act on. */
    detail: z.string(),
    /** For CodeDeploy failures: whether CodeDeploy rolled the deployment group back itself. */
    codeDeployRolledBack: z.boolean().optional(),
  }),
);
export type RollbackSkipped = z.infer<typeof rollbackSkipped.detail>;
