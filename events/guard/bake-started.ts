import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const bakeStarted = /* @__PURE__ */ guardContract('BakeStarted', () =>
  z.object({
    ...releaseRef(),
    mode: modeField,
    devSucceededAt: z.iso.datetime(),
    bakeMinutes: z.int().check(z.positive()),
    bakeEndsAt: z.iso.datetime(),
    /** The bake timer's schedule; absent when no timer was started (a restore that passes the gate unbaked). */
    timerName: z.optional(z.string()),
    /**
     * Set when the execution is the guard's own restore (handlers/rollback): a restore of a Prod failure passes
     * the Prod gate at once without a bake; any other restore restored Dev only and is rejected at the gate.
     */
    restore: z.optional(
      z.object({
        failedExecutionId: z.string(),
        failedStage: z.optional(z.string()),
        passesGateUnbaked: z.boolean(),
      }),
    ),
  }),
);
export type BakeStarted = z.infer<typeof bakeStarted.detail>;
