import * as z from '../../lib/zod';
import { codePipelineName, freeText, guardTime, pipelineExecutionId } from '../aws-shapes';
import { guardContract, releaseRef } from './guard-event';

/**
 * Delivered by the one-time Scheduler schedule that BakeStarted created, at the end of the bake; or emitted by
 * the reconciler (`trigger: reconciler`) for an execution waiting at the gate whose own event was lost.
 * It comes back from outside the guard's code, so every field is held to the shape the guard wrote.
 */
export const bakeTimerFired = /* @__PURE__ */ guardContract('BakeTimerFired', () =>
  z.looseObject({
    ...releaseRef(),
    decisionKey: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
    pipeline: codePipelineName,
    executionId: pipelineExecutionId,
    commitId: z.optional(z.string().check(z.maxLength(256))),
    commitMessage: z.optional(freeText(4096)),
    /** Absent only when the reconciler hands over the guard's restore, which never ran Dev. */
    devSucceededAt: z.optional(guardTime),
    bakeEndsAt: z.optional(guardTime),
    /** `reconciler` when the reconciler handed over an execution whose timer event was lost. */
    trigger: z.optional(z.string().check(z.maxLength(32))),
  }),
);
export type BakeTimerFired = z.infer<typeof bakeTimerFired.detail>;
