import * as z from 'zod';
import { holdFact } from './person-command';
import { guardContract, modeField, releaseRef } from './guard-event';

/**
 * E baked in full with every selected Dev alarm quiet, but a person holds the pipeline: the gate approves nothing
 * while any hold stands (E waits at the gate; it is approved at once when the last hold ends). Once per execution.
 */
export const promotionHeld = guardContract(
  'PromotionHeld',
  z.object({
    ...releaseRef,
    mode: modeField,
    bakedMinutes: z.number().int().min(0),
    alarmsChecked: z.array(z.string()),
    holds: z.array(holdFact).default([]),
    /** Frozen: a freeze window or Change Calendar (config freeze), why in a person's words, and until when. */
    freeze: z
      .object({
        reasons: z.array(z.string()).min(1),
        until: z.string().optional(),
        warning: z.string().optional(),
      })
      .optional(),
  }),
);
export type PromotionHeld = z.infer<typeof promotionHeld.detail>;
