import * as z from '../../lib/zod';
import { awsTime, codePipelineName, freeText, pipelineExecutionId } from '../aws-shapes';
import { lenientNumber } from '../envelope';

export const CODEPIPELINE_SOURCE = 'aws.codepipeline';

/** Git triggers carry a commit block with `tag-name` or `branch-name` and no `trigger-type`. */
export const executionTrigger = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    'trigger-type': z.optional(z.string().check(z.maxLength(64))),
    'trigger-detail': z.optional(freeText(2048)),
    'commit-id': z.optional(z.string().check(z.maxLength(256))),
    'tag-name': z.optional(freeText(256)),
    'branch-name': z.optional(freeText(256)),
  }),
);

/** Fields every CodePipeline state-change detail shares; newer events add the optional ones. */
export const pipelineDetailFields = () => ({
  pipeline: codePipelineName,
  'execution-id': pipelineExecutionId,
  version: z.optional(lenientNumber),
  'start-time': z.optional(awsTime),
  'pipeline-execution-attempt': z.optional(lenientNumber),
  'execution-trigger': z.optional(executionTrigger),
});
