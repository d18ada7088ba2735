import * as z from 'zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const bakeStarted = guardContract(
  'BakeStarted',
  z.object({
    ...releaseRef,
    mode: modeField,
    devSucceededAt: z.iso.datetime(),
    bakeMinutes: z.number().int().positive(),
    bakeEndsAt: z.iso.datetime(),
    timerName: z.string(),
  }),
);
export type BakeStarted = z.infer<typeof bakeStarted.detail>;
