import * as z from 'zod';
import { guardContract, releaseRef } from './guard-event';

/**
 * Delivered by the one-time Scheduler schedule that BakeStarted created, at the end of the bake; or emitted by
 * the reconciler (`trigger: reconciler`) for an execution waiting at the gate whose own event was lost.
 */
export const bakeTimerFired = guardContract(
  'BakeTimerFired',
  z.looseObject({
    ...releaseRef,
    /** Absent only when the reconciler hands over the guard's restore, which never ran Dev. */
    devSucceededAt: z.iso.datetime().optional(),
    bakeEndsAt: z.iso.datetime().optional(),
    /** `reconciler` when the reconciler handed over an execution whose timer event was lost. */
    trigger: z.string().optional(),
  }),
);
export type BakeTimerFired = z.infer<typeof bakeTimerFired.detail>;
