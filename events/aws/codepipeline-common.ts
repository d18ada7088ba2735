import * as z from 'zod';
import { lenientNumber } from '../envelope';

export const CODEPIPELINE_SOURCE = 'aws.codepipeline';

/** Git triggers carry a commit block with `tag-name` or `branch-name` and no `trigger-type`. */
export const executionTrigger = z.looseObject({
  'trigger-type': z.string().optional(),
  'trigger-detail': z.string().optional(),
  'commit-id': z.string().optional(),
  'tag-name': z.string().optional(),
  'branch-name': z.string().optional(),
});

/** Fields every CodePipeline state-change detail shares; newer events add the optional ones. */
export const pipelineDetailFields = {
  pipeline: z.string().min(1),
  'execution-id': z.string().min(1),
  version: lenientNumber.optional(),
  'start-time': z.string().optional(),
  'pipeline-execution-attempt': lenientNumber.optional(),
  'execution-trigger': executionTrigger.optional(),
};
