import { isCircuitBreakerRollback } from '../../events/aws/ecs-deployment-state-change';
import type { TileRestartFailed } from '../../events/guard/tile-restart-failed';

/** What was heard about a restart's deployment. */
export type FollowUp =
  | { source: 'ecs'; eventName: string; reason?: string }
  | { source: 'codedeploy'; state: string }
  | { source: 'timer'; timeoutMinutes: number };

export type TileOutcome =
  | { kind: 'completed'; durationSeconds: number }
  | { kind: 'failed'; reason: TileRestartFailed['reason']; detail: string }
  | { kind: 'none' };

/** The end of a restart, if this follow-up is one; `at` is when it was heard. */
export function decideTileOutcome(followUp: FollowUp, startedAt: Date, at: Date): TileOutcome {
  const completed = (): TileOutcome => ({
    kind: 'completed',
    durationSeconds: Math.max(0, Math.round((at.getTime() - startedAt.getTime()) / 1000)),
  });
  switch (followUp.source) {
    case 'ecs':
      if (followUp.eventName === 'SERVICE_DEPLOYMENT_COMPLETED') return completed();
      if (followUp.eventName === 'SERVICE_DEPLOYMENT_FAILED') {
        return {
          kind: 'failed',
          reason: 'deployment-failed',
          detail: followUp.reason ?? 'ECS deployment failed',
        };
      }
      return isCircuitBreakerRollback(followUp.reason)
        ? { kind: 'failed', reason: 'rolled-back', detail: followUp.reason ?? 'circuit breaker rollback' }
        : { kind: 'none' };
    case 'codedeploy':
      if (followUp.state === 'SUCCESS') return completed();
      if (followUp.state === 'FAILURE' || followUp.state === 'STOP') {
        return {
          kind: 'failed',
          reason: 'deployment-failed',
          detail: `CodeDeploy deployment ended in ${followUp.state}`,
        };
      }
      return { kind: 'none' };
    case 'timer':
      return {
        kind: 'failed',
        reason: 'timed-out',
        detail: `timed out: neither completed nor failed within ${followUp.timeoutMinutes} minutes`,
      };
  }
}
