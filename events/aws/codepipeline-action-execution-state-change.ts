import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { arnText, codePipelineName, freeText } from '../aws-shapes';
import { envelope, lenientNumber, type EventPattern } from '../envelope';
import { CODEPIPELINE_SOURCE, pipelineDetailFields } from './codepipeline-common';

export const ACTION_EXECUTION_STATE_CHANGE = 'CodePipeline Action Execution State Change';

export const actionExecutionStates = ['STARTED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'ABANDONED'] as const;

export const actionExecutionDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    ...pipelineDetailFields(),
    stage: codePipelineName,
    action: codePipelineName,
    state: z.enum(actionExecutionStates),
    region: z.optional(z.string().check(z.maxLength(32))),
    'action-execution-id': z.optional(z.string().check(z.maxLength(128))),
    type: z.looseObject({
      owner: z.string().check(z.maxLength(64)),
      provider: z.string().check(z.maxLength(128)),
      category: z.string().check(z.maxLength(64)),
      // A number in the 2017 samples, a string everywhere since.
      version: z.union([lenientNumber, z.string().check(z.maxLength(32))]),
    }),
    'execution-result': z.optional(
      z.looseObject({
        'external-execution-url': z.optional(arnText),
        'external-execution-summary': z.optional(freeText(4096)),
        'external-execution-id': z.optional(z.string().check(z.maxLength(2048))),
        'error-code': z.optional(z.string().check(z.maxLength(128))),
      }),
    ),
  }),
);

export const actionExecutionStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CODEPIPELINE_SOURCE, ACTION_EXECUTION_STATE_CHANGE, actionExecutionDetail()),
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
