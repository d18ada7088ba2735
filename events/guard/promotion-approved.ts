import * as z from 'zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const promotionApproved = guardContract(
  'PromotionApproved',
  z.object({
    ...releaseRef,
    mode: modeField,
    trigger: z.enum(['timer', 'gate-started', 'reconciler', 'person']),
    bakedMinutes: z.number(),
    alarmsChecked: z.array(z.string()),
    /** The execution is the guard's restore after this failed one: passed without a bake (invariant 1's exception). */
    rollbackOf: z.string().optional(),
    summary: z.string(),
  }),
);
export type PromotionApproved = z.infer<typeof promotionApproved.detail>;
