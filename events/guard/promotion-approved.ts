import * as z from 'zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const promotionApproved = guardContract(
  'PromotionApproved',
  z.object({
    ...releaseRef,
    mode: modeField,
    trigger: z.enum(['timer', 'gate-started', 'reconciler']),
    bakedMinutes: z.number(),
    alarmsChecked: z.array(z.string()),
    summary: z.string(),
  }),
);
export type PromotionApproved = z.infer<typeof promotionApproved.detail>;
