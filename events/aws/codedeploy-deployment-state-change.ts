import * as z from 'zod';
import { envelope, type EventPattern } from '../envelope';

export const CODEDEPLOY_SOURCE = 'aws.codedeploy';
export const DEPLOYMENT_STATE_CHANGE = 'CodeDeploy Deployment State-change Notification';

export const deploymentStates = ['START', 'SUCCESS', 'FAILURE', 'STOP', 'READY'] as const;

export const deploymentStateChangeDetail = z.looseObject({
  application: z.string().min(1),
  deploymentGroup: z.string().min(1),
  deploymentId: z.string().min(1),
  state: z.enum(deploymentStates),
  region: z.string().optional(),
  instanceGroupId: z.string().optional(),
});

export const deploymentStateChange = envelope(
  CODEDEPLOY_SOURCE,
  DEPLOYMENT_STATE_CHANGE,
  deploymentStateChangeDetail,
);
export type DeploymentStateChange = z.infer<typeof deploymentStateChange>;

export function deploymentStatePattern(filter: {
  application: string;
  deploymentGroups: string[];
  states: (typeof deploymentStates)[number][];
}): EventPattern {
  return {
    source: [CODEDEPLOY_SOURCE],
    'detail-type': [DEPLOYMENT_STATE_CHANGE],
    detail: {
      application: [filter.application],
      deploymentGroup: filter.deploymentGroups,
      state: filter.states,
    },
  };
}
