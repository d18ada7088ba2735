import * as z from 'zod';
import { envelope, type EventPattern } from '../envelope';

export const CODEDEPLOY_SOURCE = 'aws.codedeploy';
export const CODEDEPLOY_DEPLOYMENT_STATE_CHANGE = 'CodeDeploy Deployment State-change Notification';

/** The states that end a deployment; START, READY and the rest are still on their way. */
export const codeDeployFinalStates = ['SUCCESS', 'FAILURE', 'STOP'] as const;

export const codeDeployDeploymentDetail = z.looseObject({
  deploymentId: z.string().min(1),
  state: z.string().min(1),
  application: z.string().optional(),
  deploymentGroup: z.string().optional(),
  region: z.string().optional(),
});

export const codeDeployDeploymentStateChange = envelope(
  CODEDEPLOY_SOURCE,
  CODEDEPLOY_DEPLOYMENT_STATE_CHANGE,
  codeDeployDeploymentDetail,
);
export type CodeDeployDeploymentStateChange = z.infer<typeof codeDeployDeploymentStateChange>;

export function codeDeployFinalStatePattern(): EventPattern {
  return {
    source: [CODEDEPLOY_SOURCE],
    'detail-type': [CODEDEPLOY_DEPLOYMENT_STATE_CHANGE],
    detail: { state: [...codeDeployFinalStates] },
  };
}
