import * as z from '../../lib/zod';
import { codePipelineName, guardTime } from '../aws-shapes';
import { guardContract } from './guard-event';

/**
 * Delivered by the one-time Scheduler schedule a hold with `until` created: the command function ends that hold
 * (if it still stands) and the gate looks at the waiting execution again. A request, not a decision.
 */
export const holdTimerFired = /* @__PURE__ */ guardContract('HoldTimerFired', () =>
  z.looseObject({
    pipeline: codePipelineName,
    holdId: z.string().check(z.minLength(1), z.maxLength(128)),
    until: guardTime,
  }),
);
export type HoldTimerFired = z.infer<typeof holdTimerFired.detail>;
