import * as z from 'zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

/**
 * Every selected Dev alarm is OK again. `outcome` says whether the guard re-opened the Prod inbound transition,
 * or left it closed because the reason on it is not the guard's (a person or another tool closed it: invariant 2).
 * With `forRestore`, an alarm still fires: the guard lifted its own block to let its own restore into Prod.
 */
export const promotionUnblocked = guardContract(
  'PromotionUnblocked',
  z.object({
    ...decisionKeyField,
    mode: modeField,
    pipeline: z.string().min(1),
    prodStage: z.string().min(1),
    outcome: z.enum(['enabled', 'left-disabled']),
    /** The reason that was on the transition when the guard looked. */
    transitionReason: z.string().optional(),
    /** When the guard's block began, if known. */
    blockedSince: z.string().optional(),
    alarmsChecked: z.array(z.string()),
    /** The guard's restore it let into Prod by lifting its own block while a Dev alarm still fires. */
    forRestore: z.string().optional(),
    trigger: z.enum(['alarm-event', 'reconciler']),
  }),
);
export type PromotionUnblocked = z.infer<typeof promotionUnblocked.detail>;
