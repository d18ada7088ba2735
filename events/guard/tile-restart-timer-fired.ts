import * as z from 'zod';
import { guardContract, releaseRef } from './guard-event';
import { tileServiceRef } from './tile-restart-started';

/** Delivered by the one-time schedule set when a restart started, at its deadline (not a decision). */
export const tileRestartTimerFired = guardContract(
  'TileRestartTimerFired',
  z.looseObject({
    ...releaseRef,
    ...tileServiceRef,
    deploymentId: z.string().min(1),
    startedAt: z.iso.datetime(),
    deadline: z.iso.datetime(),
  }),
);
export type TileRestartTimerFired = z.infer<typeof tileRestartTimerFired.detail>;
