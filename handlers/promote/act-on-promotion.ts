import type { GuardedPipeline } from '../../config/schema';
import { promotionApproved } from '../../events/guard/promotion-approved';
import { promotionRejected } from '../../events/guard/promotion-rejected';
import { TransientAwsError } from '../../lib/errors';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import { decisionKeyOf } from '../../lib/aws/outbox';
import type { PromoteDeps } from './make-handler';
import type { PromotionDecision, PromotionTrigger } from './decide-promotion';

/**
 * Carries out a promotion decision. In enforce mode the approval itself is the idempotency key (a second
 * answer is refused by CodePipeline); in observe mode nothing is written to the pipeline, so the ledger
 * records the first "would have" decision and duplicates stay silent.
 */
export async function actOnPromotion(
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  ref: { executionId: string; trigger: PromotionTrigger; release: ReleaseRecord | undefined },
  decision: PromotionDecision,
): Promise<void> {
  const { executionId, trigger } = ref;
  if (decision.kind === 'await-token') {
    throw new TransientAwsError(`Gate of ${executionId} is waiting but has no approval token yet`);
  }
  const keys = gateKeys(pipeline, executionId);
  // E no longer waits, or its gate was answered: by an earlier attempt whose announcement may have failed.
  const flush = () => Promise.all([deps.outbox.flush(keys.approve), deps.outbox.flush(keys.reject)]);
  if (decision.kind === 'ignore') return void (await flush());
  if (decision.kind !== 'approve' && decision.kind !== 'reject') return;

  const first = await answerOnce(deps, pipeline, executionId, decision);
  if (!first) {
    deps.logger.info('Gate already answered: a duplicate trigger', { executionId });
    return void (await flush());
  }
  const release = {
    pipeline: pipeline.name,
    executionId,
    commitId: ref.release?.commitId,
    commitMessage: ref.release?.commitMessage,
  };
  if (decision.kind === 'approve') {
    await deps.outbox.announce(keys.approve, promotionApproved, {
      ...release,
      mode: deps.config.mode,
      trigger,
      bakedMinutes: decision.bakedMinutes,
      alarmsChecked: decision.alarmsChecked,
      rollbackOf: decision.rollbackOf,
      summary: decision.summary,
    });
    return;
  }
  await deps.outbox.announce(keys.reject, promotionRejected, {
    ...release,
    mode: deps.config.mode,
    reason: decision.reason,
    supersededBy: decision.supersededBy,
    alarms: decision.offenders,
    summary: decision.summary,
  });
}

/** Each answer is its own decision: a Prod stage retried by a person can be answered, and announced, again. */
function gateKeys(pipeline: GuardedPipeline, executionId: string) {
  return {
    approve: decisionKeyOf(pipeline.name, 'gate', 'approve', executionId),
    reject: decisionKeyOf(pipeline.name, 'gate', 'reject', executionId),
  };
}

async function answerOnce(
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  executionId: string,
  decision: Extract<PromotionDecision, { kind: 'approve' | 'reject' }>,
): Promise<boolean> {
  if (deps.config.mode === 'observe') {
    return deps.ledger.claimDecision(pipeline.name, executionId, decision.kind);
  }
  const status = decision.kind === 'approve' ? 'Approved' : 'Rejected';
  return (
    (await deps.codepipeline.answerGate(pipeline, decision.token, status, decision.summary)) === 'recorded'
  );
}
