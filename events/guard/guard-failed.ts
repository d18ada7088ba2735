import * as z from '../../lib/zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/** A reaction could not decide or act safely; what it did instead is in `consequence`. */
export const guardFailed = /* @__PURE__ */ guardContract('GuardFailed', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    reaction: z.string(),
    pipeline: z.optional(z.string()),
    executionId: z.optional(z.string()),
    error: z.object({ name: z.string(), message: z.string() }),
    /** The AWS call that failed, `service.Operation`, and what it was about. */
    call: z.optional(z.string()),
    resource: z.optional(z.string()),
    /** What the guard did instead, and what a person should do now. */
    consequence: z.string(),
  }),
);
export type GuardFailed = z.infer<typeof guardFailed.detail>;
