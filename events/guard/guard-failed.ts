import * as z from 'zod';
import { guardContract, modeField } from './guard-event';

/** A reaction could not decide or act safely; what it did instead is in `consequence`. */
export const guardFailed = guardContract(
  'GuardFailed',
  z.object({
    mode: modeField,
    reaction: z.string(),
    pipeline: z.string().optional(),
    executionId: z.string().optional(),
    error: z.object({ name: z.string(), message: z.string() }),
    consequence: z.string(),
  }),
);
export type GuardFailed = z.infer<typeof guardFailed.detail>;
