import * as z from 'zod';
import { codePipelineName, freeText, guardTime, pipelineExecutionId } from '../aws-shapes';
import { guardContract, releaseRef } from './guard-event';

/**
 * Delivered by the one-time Scheduler schedule that BakeStarted created, at the end of the bake; or emitted by
 * the reconciler (`trigger: reconciler`) for an execution waiting at the gate whose own event was lost.
 * It comes back from outside the guard's code, so every field is held to the shape the guard wrote.
 */
export const bakeTimerFired = guardContract(
  'BakeTimerFired',
  z.looseObject({
    ...releaseRef,
    decisionKey: z.string().min(1).max(512).optional(),
    pipeline: codePipelineName,
    executionId: pipelineExecutionId,
    commitId: z.string().max(256).optional(),
    commitMessage: freeText(4096).optional(),
    /** Absent only when the reconciler hands over the guard's restore, which never ran Dev. */
    devSucceededAt: guardTime.optional(),
    bakeEndsAt: guardTime.optional(),
    /** `reconciler` when the reconciler handed over an execution whose timer event was lost. */
    trigger: z.string().max(32).optional(),
  }),
);
export type BakeTimerFired = z.infer<typeof bakeTimerFired.detail>;
