import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { codePipelineName } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';
import { CODEPIPELINE_SOURCE, pipelineDetailFields } from './codepipeline-common';

export const STAGE_EXECUTION_STATE_CHANGE = 'CodePipeline Stage Execution State Change';

export const stageExecutionStates = [
  'STARTED',
  'SUCCEEDED',
  'RESUMED',
  'FAILED',
  'CANCELED',
  'STOPPED',
  'STOPPING',
] as const;

export const stageExecutionDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    ...pipelineDetailFields(),
    stage: codePipelineName,
    state: z.enum(stageExecutionStates),
  }),
);

export const stageExecutionStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CODEPIPELINE_SOURCE, STAGE_EXECUTION_STATE_CHANGE, stageExecutionDetail()),
);
export type StageExecutionStateChange = z.infer<typeof stageExecutionStateChange>;

export function stageExecutionPattern(filter: {
  pipeline: string;
  stages: string[];
  states: (typeof stageExecutionStates)[number][];
}): EventPattern {
  return {
    source: [CODEPIPELINE_SOURCE],
    'detail-type': [STAGE_EXECUTION_STATE_CHANGE],
    detail: { pipeline: [filter.pipeline], stage: filter.stages, state: filter.states },
  };
}
