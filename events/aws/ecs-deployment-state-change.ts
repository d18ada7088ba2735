import * as z from '../../lib/zod';
import { once } from '../../lib/lazy';
import { awsTime, ecsDeploymentId, freeText } from '../aws-shapes';
import { envelope, type EventPattern } from '../envelope';

export const ECS_SOURCE = 'aws.ecs';
export const ECS_DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

export const ecsDeploymentEventNames = [
  'SERVICE_DEPLOYMENT_IN_PROGRESS',
  'SERVICE_DEPLOYMENT_COMPLETED',
  'SERVICE_DEPLOYMENT_FAILED',
] as const;

/** A rolling (ECS controller) service deployment moved; `resources` holds the service ARN. */
export const ecsDeploymentDetail = /* @__PURE__ */ once(() =>
  z.looseObject({
    eventType: z.optional(z.string().check(z.maxLength(32))),
    eventName: z.enum(ecsDeploymentEventNames),
    deploymentId: ecsDeploymentId,
    updatedAt: z.optional(awsTime),
    reason: z.optional(freeText(2048)),
  }),
);

export const ecsDeploymentStateChange = /* @__PURE__ */ z.lazy(() =>
  envelope(ECS_SOURCE, ECS_DEPLOYMENT_STATE_CHANGE, ecsDeploymentDetail()),
);
export type EcsDeploymentStateChange = z.infer<typeof ecsDeploymentStateChange>;

/**
 * Deployments of the given services (`resources` holds the service ARN, which ends in `:service/<cluster>/<name>`).
 * In-progress events are routed too: a circuit-breaker rollback announces itself as one.
 */
export function ecsDeploymentPattern(services: { cluster: string; service: string }[]): EventPattern {
  const suffixes = new Set(services.map((s) => `:service/${s.cluster}/${s.service}`));
  return {
    source: [ECS_SOURCE],
    'detail-type': [ECS_DEPLOYMENT_STATE_CHANGE],
    resources: [...suffixes].map((suffix) => ({ suffix })),
    detail: { eventName: [...ecsDeploymentEventNames] },
  };
}

/** The reason ECS gives when the deployment circuit breaker rolls a deployment back. */
export function isCircuitBreakerRollback(reason: string | undefined): boolean {
  return /circuit breaker: rolling back/i.test(reason ?? '');
}
