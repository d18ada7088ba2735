import * as z from 'zod';
import { guardContract, releaseRef } from './guard-event';

/** Delivered by the one-time Scheduler schedule that BakeStarted created, at the end of the bake. */
export const bakeTimerFired = guardContract(
  'BakeTimerFired',
  z.looseObject({
    ...releaseRef,
    devSucceededAt: z.iso.datetime(),
    bakeEndsAt: z.iso.datetime(),
  }),
);
export type BakeTimerFired = z.infer<typeof bakeTimerFired.detail>;
