import * as z from 'zod';
import { awsTime, codePipelineName, freeText, pipelineExecutionId } from '../aws-shapes';
import { lenientNumber } from '../envelope';

export const CODEPIPELINE_SOURCE = 'aws.codepipeline';

/** Git triggers carry a commit block with `tag-name` or `branch-name` and no `trigger-type`. */
export const executionTrigger = z.looseObject({
  'trigger-type': z.string().max(64).optional(),
  'trigger-detail': freeText(2048).optional(),
  'commit-id': z.string().max(256).optional(),
  'tag-name': freeText(256).optional(),
  'branch-name': freeText(256).optional(),
});

/** Fields every CodePipeline state-change detail shares; newer events add the optional ones. */
export const pipelineDetailFields = {
  pipeline: codePipelineName,
  'execution-id': pipelineExecutionId,
  version: lenientNumber.optional(),
  'start-time': awsTime.optional(),
  'pipeline-execution-attempt': lenientNumber.optional(),
  'execution-trigger': executionTrigger.optional(),
};
