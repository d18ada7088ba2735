import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { freeText } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';
import { CODEPIPELINE_SOURCE, pipelineDetailFields } from './codepipeline-common';

export const PIPELINE_EXECUTION_STATE_CHANGE = 'CodePipeline Pipeline Execution State Change';

export const pipelineExecutionStates = [
  'STARTED',
  'SUCCEEDED',
  'RESUMED',
  'FAILED',
  'CANCELED',
  'SUPERSEDED',
  'STOPPED',
  'STOPPING',
] as const;

export const pipelineExecutionDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    ...pipelineDetailFields(),
    state: z.enum(pipelineExecutionStates),
    'stop-execution-comments': z.optional(freeText(1024)),
  }),
);

export const pipelineExecutionStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CODEPIPELINE_SOURCE, PIPELINE_EXECUTION_STATE_CHANGE, pipelineExecutionDetail()),
);
export type PipelineExecutionStateChange = z.infer<typeof pipelineExecutionStateChange>;

export function pipelineExecutionPattern(filter: {
  pipeline: string;
  states: (typeof pipelineExecutionStates)[number][];
}): EventPattern {
  return {
    source: [CODEPIPELINE_SOURCE],
    'detail-type': [PIPELINE_EXECUTION_STATE_CHANGE],
    detail: { pipeline: [filter.pipeline], state: filter.states },
  };
}
