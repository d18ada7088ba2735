import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { codeDeployDeploymentId, codeDeployName } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';

export const CODEDEPLOY_SOURCE = 'aws.codedeploy';
export const CODEDEPLOY_DEPLOYMENT_STATE_CHANGE = 'CodeDeploy Deployment State-change Notification';

/** START, READY and the states that end a deployment: SUCCESS, FAILURE, STOP. */
export type CodeDeployState = 'START' | 'SUCCESS' | 'FAILURE' | 'STOP' | 'READY';
export const codeDeployFinalStates = ['SUCCESS', 'FAILURE', 'STOP'] as const satisfies CodeDeployState[];

/** Lenient on `state` (a new state must not make the event invalid); application and group are always sent. */
export const codeDeployDeploymentDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    deploymentId: codeDeployDeploymentId,
    state: z.string().check(z.minLength(1), z.maxLength(32)),
    application: codeDeployName,
    deploymentGroup: codeDeployName,
    region: z.optional(z.string().check(z.maxLength(32))),
    instanceGroupId: z.optional(z.string().check(z.maxLength(128))),
  }),
);

export const codeDeployDeploymentStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(CODEDEPLOY_SOURCE, CODEDEPLOY_DEPLOYMENT_STATE_CHANGE, codeDeployDeploymentDetail()),
);
export type CodeDeployDeploymentStateChange = z.infer<typeof codeDeployDeploymentStateChange>;

/** The configured deployment groups of one application, in the given states. */
export function codeDeployGroupPattern(filter: {
  application: string;
  deploymentGroups: string[];
  states: CodeDeployState[];
}): EventPattern {
  return {
    source: [CODEDEPLOY_SOURCE],
    'detail-type': [CODEDEPLOY_DEPLOYMENT_STATE_CHANGE],
    detail: {
      application: [filter.application],
      deploymentGroup: filter.deploymentGroups,
      state: filter.states,
    },
  };
}
