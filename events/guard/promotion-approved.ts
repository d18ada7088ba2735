import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const promotionApproved = /* @__PURE__ */ guardContract('PromotionApproved', () =>
  z.object({
    ...releaseRef(),
    mode: modeField,
    trigger: z.enum(['timer', 'gate-started', 'reconciler', 'person', 'override']),
    bakedMinutes: z.number(),
    alarmsChecked: z.array(z.string()),
    /** The execution is the guard's restore after this failed one: passed without a bake (invariant 1's exception). */
    rollbackOf: z.optional(z.string()),
    /**
     * A person's break glass (promote-now, recorded with who and why): invariant 1's second exception. `skipped`
     * says exactly which of the gate's conditions did not hold and were passed on the person's word.
     */
    override: z.optional(z.object({ by: z.string(), reason: z.string(), skipped: z.array(z.string()) })),
    summary: z.string(),
  }),
);
export type PromotionApproved = z.infer<typeof promotionApproved.detail>;
