import * as z from '../../lib/zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/**
 * Every selected Dev alarm is OK again. `outcome` says whether the guard re-opened the Prod inbound transition,
 * or left it closed because the reason on it is not the guard's (a person or another tool closed it: invariant 2).
 * With `forRestore`, an alarm still fires: the guard lifted its own block to let its own restore into Prod.
 */
export const promotionUnblocked = /* @__PURE__ */ guardContract('PromotionUnblocked', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    pipeline: z.string().check(z.minLength(1)),
    prodStage: z.string().check(z.minLength(1)),
    outcome: z.enum(['enabled', 'left-disabled']),
    /** The reason that was on the transition when the guard looked. */
    transitionReason: z.optional(z.string()),
    /** When the guard's block began, if known. */
    blockedSince: z.optional(z.string()),
    alarmsChecked: z.array(z.string()),
    /** The guard's restore it let into Prod by lifting its own block while a Dev alarm still fires. */
    forRestore: z.optional(z.string()),
    trigger: z.enum(['alarm-event', 'reconciler']),
  }),
);
export type PromotionUnblocked = z.infer<typeof promotionUnblocked.detail>;
