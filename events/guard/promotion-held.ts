import * as z from '../../lib/zod';
import { holdFact } from './person-command';
import { guardContract, modeField, releaseRef } from './guard-event';

/**
 * E baked in full with every selected Dev alarm quiet, but a person holds the pipeline: the gate approves nothing
 * while any hold stands (E waits at the gate; it is approved at once when the last hold ends). Once per execution.
 */
export const promotionHeld = /* @__PURE__ */ guardContract('PromotionHeld', () =>
  z.object({
    ...releaseRef(),
    mode: modeField,
    bakedMinutes: z.int().check(z.gte(0)),
    alarmsChecked: z.array(z.string()),
    holds: z._default(z.array(holdFact), []),
    /** Frozen: a freeze window or Change Calendar (config freeze), why in a person's words, and until when. */
    freeze: z.optional(
      z.object({
        reasons: z.array(z.string()).check(z.minLength(1)),
        until: z.optional(z.string()),
        warning: z.optional(z.string()),
      }),
    ),
  }),
);
export type PromotionHeld = z.infer<typeof promotionHeld.detail>;
