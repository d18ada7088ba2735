import * as z from 'zod';
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
export const tileRestartTimerFired = guardContract(
  'TileRestartTimerFired',
  z.looseObject({
    ...releaseRef,
    ...tileServiceRef,
    decisionKey: z.string().min(1).max(512).optional(),
    pipeline: codePipelineName,
    executionId: pipelineExecutionId,
    commitId: z.string().max(256).optional(),
    commitMessage: freeText(4096).optional(),
    cluster: ecsName,
    service: ecsName,
    controller: z.string().min(1).max(32).optional(),
    deploymentId: tileDeploymentId,
    startedAt: guardTime,
    deadline: guardTime,
  }),
);
export type TileRestartTimerFired = z.infer<typeof tileRestartTimerFired.detail>;
