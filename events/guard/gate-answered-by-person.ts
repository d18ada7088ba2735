import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';

/**
 * A person answered the Prod gate in the CodePipeline console (or with their own credentials): the guard records who
 * and how, and never answers that approval itself. Once per approval run (its action execution id).
 */
export const gateAnsweredByPerson = /* @__PURE__ */ guardContract('GateAnsweredByPerson', () =>
  z.object({
    ...releaseRef(),
    mode: modeField,
    /** Who answered: CodePipeline's `lastUpdatedBy` (an IAM ARN or user id), never a field a caller fills in. */
    by: z.string().check(z.minLength(1)),
    status: z.enum(['Approved', 'Rejected']),
    /** The person's own words in the approval, when they gave any. */
    summary: z.optional(z.string()),
    prodStage: z.string().check(z.minLength(1)),
    gateAction: z.string().check(z.minLength(1)),
  }),
);
export type GateAnsweredByPerson = z.infer<typeof gateAnsweredByPerson.detail>;
