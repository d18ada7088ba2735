import * as z from '../../lib/zod';
import { decisionKeyField, guardContract, modeField } from './guard-event';

export const alarmFact = /* @__PURE__ */ z.lazy(() =>
  z.object({
    name: z.string(),
    state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    /** When the alarm entered `state` (ISO 8601). */
    since: z.optional(z.string()),
    reason: z.optional(z.string()),
    arn: z.optional(z.string()),
  }),
);
export type AlarmFact = z.infer<typeof alarmFact>;

/**
 * A selected Dev alarm fired: the Prod inbound transition is closed and the waiting approval rejected. The pending
 * bake timers of the pipeline are deleted by the bakeTimerSweep function in reaction to this event.
 */
export const promotionBlocked = /* @__PURE__ */ guardContract('PromotionBlocked', () =>
  z.object({
    ...decisionKeyField(),
    mode: modeField,
    pipeline: z.string().check(z.minLength(1)),
    prodStage: z.string().check(z.minLength(1)),
    /** The alarm(s) that caused the block. */
    alarms: z.array(alarmFact).check(z.minLength(1)),
    /** The reason now on the Prod inbound transition (the guard's own, recognisable form). */
    transitionReason: z.string(),
    /** The transition was already disabled by someone else: the guard left that reason in place. */
    alreadyDisabledBy: z.optional(z.string()),
    /** The execution whose approval was waiting at the gate and was rejected, if any. */
    rejectedExecutionId: z.optional(z.string()),
    /** Who noticed: the alarm event itself, or the reconciler after a lost event. */
    trigger: z.enum(['alarm-event', 'reconciler']),
    /** Seconds from the alarm's state change to this block (a release-safety metric). */
    alarmToBlockSeconds: z.optional(z.number().check(z.gte(0))),
  }),
);
export type PromotionBlocked = z.infer<typeof promotionBlocked.detail>;
