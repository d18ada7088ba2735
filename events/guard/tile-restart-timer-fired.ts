import * as z from '../../lib/zod';
import {
  codePipelineName,
  ecsName,
  freeText,
  guardTime,
  pipelineExecutionId,
  tileDeploymentId,
} from '../aws-shapes';
import { guardContract, releaseRef } from './guard-event';
import { tileServiceRef } from './tile-restart-started';

/**
 * Delivered by the one-time schedule set when a restart started, at its deadline (not a decision). It comes back
 * from outside the guard's code, so every field is held to the shape the guard wrote.
 */
export const tileRestartTimerFired = /* @__PURE__ */ guardContract('TileRestartTimerFired', () =>
  z.looseObject({
    ...releaseRef(),
    ...tileServiceRef(),
    decisionKey: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
    pipeline: codePipelineName,
    executionId: pipelineExecutionId,
    commitId: z.optional(z.string().check(z.maxLength(256))),
    commitMessage: z.optional(freeText(4096)),
    cluster: ecsName,
    service: ecsName,
    controller: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
    deploymentId: tileDeploymentId,
    startedAt: guardTime,
    deadline: guardTime,
  }),
);
export type TileRestartTimerFired = z.infer<typeof tileRestartTimerFired.detail>;
