import * as z from 'zod';
import { envelope, lenientNumber, type EventPattern } from '../envelope';
import { CODEPIPELINE_SOURCE, pipelineDetailFields } from './codepipeline-common';

export const ACTION_EXECUTION_STATE_CHANGE = 'CodePipeline Action Execution State Change';

export const actionExecutionStates = ['STARTED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'ABANDONED'] as const;

export const actionExecutionDetail = z.looseObject({
  ...pipelineDetailFields,
  stage: z.string().min(1),
  action: z.string().min(1),
  state: z.enum(actionExecutionStates),
  region: z.string().optional(),
  'action-execution-id': z.string().optional(),
  type: z.looseObject({
    owner: z.string(),
    provider: z.string(),
    category: z.string(),
    // A number in the 2017 samples, a string everywhere since.
    version: z.union([lenientNumber, z.string()]),
  }),
  'execution-result': z
    .looseObject({
      'external-execution-url': z.string().optional(),
      'external-execution-summary': z.string().optional(),
      'external-execution-id': z.string().optional(),
      'error-code': z.string().optional(),
    })
    .optional(),
});

export const actionExecutionStateChange = envelope(
  CODEPIPELINE_SOURCE,
  ACTION_EXECUTION_STATE_CHANGE,
  actionExecutionDetail,
);
export type ActionExecutionStateChange = z.infer<typeof actionExecutionStateChange>;

export function approvalActionPattern(filter: {
  pipeline: string;
  stage: string;
  action: string;
  states: (typeof actionExecutionStates)[number][];
}): EventPattern {
  return {
    source: [CODEPIPELINE_SOURCE],
    'detail-type': [ACTION_EXECUTION_STATE_CHANGE],
    detail: {
      pipeline: [filter.pipeline],
      stage: [filter.stage],
      action: [filter.action],
      state: filter.states,
      type: { category: ['Approval'] },
    },
  };
}

/** Actions of the given stages reaching one of `states`, whatever their category (deploy, approval, test). */
export function stageActionsPattern(filter: {
  pipeline: string;
  stages: string[];
  states: (typeof actionExecutionStates)[number][];
}): EventPattern {
  return {
    source: [CODEPIPELINE_SOURCE],
    'detail-type': [ACTION_EXECUTION_STATE_CHANGE],
    detail: { pipeline: [filter.pipeline], stage: filter.stages, state: filter.states },
  };
}
