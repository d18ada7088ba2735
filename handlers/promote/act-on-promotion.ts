import type { GuardedPipeline } from '../../config/schema';
import { guardFailed } from '../../events/guard/guard-failed';
import { promotionApproved } from '../../events/guard/promotion-approved';
import { promotionRejected } from '../../events/guard/promotion-rejected';
import { promotionHeld } from '../../events/guard/promotion-held';
import { personCommand } from '../../events/guard/person-command';
import { approvalTimeoutWarning } from '../../lib/freeze/freeze-state';
import { announcement, type Invocation } from '../../lib/act/act';
import { decisionKeyOf, type DecisionKey } from '../../lib/act/journal';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { RestoreRecord } from '../../lib/aws/rollback-ledger';
import { answerGateEffect } from '../../lib/effects/gate';
import { TransientAwsError } from '../../lib/errors';
import type { PromoteDeps } from './make-handler';
import type { PromotionDecision, PromotionTrigger } from './decide-promotion';

export type PromotionRef = {
  executionId: string;
  trigger: PromotionTrigger;
  release: ReleaseRecord | undefined;
  restore: RestoreRecord | undefined;
  shownCommit?: { commitId: string; commitMessage?: string };
};

/**
 * Carries out a promotion decision through the decision journal (lib/act): the answer to the gate is its one
 * effect, recognised afterwards by the summary CodePipeline keeps with it; observe mode writes nothing and only
 * announces "would have". A decision that finds E no longer waiting finishes what an earlier attempt began.
 */
export async function actOnPromotion(
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  ref: PromotionRef,
  decision: PromotionDecision,
  invocation: Invocation,
): Promise<void> {
  const { executionId, trigger } = ref;
  if (decision.kind === 'await-token') {
    // Counted with the attempts that failed acting, so the last one ends here rather than in the dead-letter
    // queue: nothing was written, and the reconciler hands E to promote once its token shows (README).
    if (await deps.actor.failedAttempt(invocation)) {
      deps.logger.warn('The gate still has no approval token after every retry: left to the reconciler', {
        executionId,
      });
      return;
    }
    throw new TransientAwsError(`Gate of ${executionId} is waiting but has no approval token yet`);
  }
  const keys = gateKeys(pipeline, executionId);
  if (decision.kind === 'wait' && decision.unproven) {
    // Brief, "Accounts": a selector that matches no alarm (a typo, a missing role, the wrong account) is
    // reported, never taken as health. Once per execution: the decision key holds it.
    await deps.actor.act(
      decisionKeyOf(pipeline.name, 'gate', 'unproven', executionId),
      { primary: unprovenHealth(deps, pipeline, executionId), effects: [] },
      invocation,
    );
    return;
  }
  if (decision.kind === 'override-refused') {
    const o = decision.override;
    const key = decisionKeyOf(pipeline.name, 'gate', 'override-refused', executionId, o.at);
    await deps.actor.act(
      key,
      {
        primary: announcement(key, personCommand, {
          mode: deps.config.mode,
          command: 'promote-now',
          pipeline: pipeline.name,
          by: o.by,
          reason: o.reason,
          outcome: 'refused',
          executionId,
          despiteAlarm: o.despiteAlarm,
          summary: `Refused: ${decision.reason}. ${executionId} still waits at the gate.`,
        }),
        effects: [],
      },
      invocation,
    );
    return;
  }
  if (decision.kind === 'held') {
    // Said once per execution: E waits at the gate, and the release of the last hold approves it at once.
    const key = decisionKeyOf(pipeline.name, 'gate', 'held', executionId);
    await deps.actor.act(
      key,
      {
        primary: announcement(key, promotionHeld, {
          pipeline: pipeline.name,
          executionId,
          commitId: ref.release?.commitId,
          commitMessage: ref.release?.commitMessage,
          mode: deps.config.mode,
          bakedMinutes: decision.bakedMinutes,
          alarmsChecked: decision.alarmsChecked,
          holds: decision.holds,
          ...(decision.freeze
            ? {
                freeze: {
                  reasons: decision.freeze.reasons,
                  until: decision.freeze.until?.toISOString(),
                  warning: approvalTimeoutWarning({
                    freeze: decision.freeze,
                    waitingSince: deps.now(),
                    timeZone: deps.config.freeze?.windows?.[0]?.timeZone,
                  }),
                },
              }
            : {}),
        }),
        effects: [],
      },
      invocation,
    );
    return;
  }
  if (decision.kind === 'ignore') {
    // E no longer waits: perhaps because an earlier attempt answered it and died before announcing.
    await deps.actor.resume(keys.approve, invocation);
    await deps.actor.resume(keys.reject, invocation);
    return;
  }
  if (decision.kind !== 'approve' && decision.kind !== 'reject') return;
  const release = {
    pipeline: pipeline.name,
    executionId,
    // A restore never ran the guard's bake start: its commit is the one it restores.
    commitId: ref.release?.commitId ?? ref.restore?.targetCommitId ?? ref.shownCommit?.commitId,
    commitMessage: ref.release?.commitMessage ?? ref.shownCommit?.commitMessage,
  };
  const key = decision.kind === 'approve' ? keys.approve : keys.reject;
  // An earlier attempt may have decided the other way and failed before answering (a retry minutes later can
  // find E superseded, or an alarm fired). E still waits at the gate with its token — this decision just read it
  // — so that answer never landed: its intent is closed, and this decision is the event's one outcome.
  await deps.actor.withdraw(decision.kind === 'approve' ? keys.reject : keys.approve, key);
  const primary =
    decision.kind === 'approve'
      ? announcement(key, promotionApproved, {
          ...release,
          mode: deps.config.mode,
          trigger,
          bakedMinutes: decision.bakedMinutes,
          alarmsChecked: decision.alarmsChecked,
          rollbackOf: decision.rollbackOf,
          override: decision.override,
          summary: decision.summary,
        })
      : announcement(key, promotionRejected, {
          ...release,
          mode: deps.config.mode,
          reason: decision.reason,
          supersededBy: decision.supersededBy,
          alarms: decision.offenders,
          summary: decision.summary,
        });
  if (deps.config.mode === 'observe') {
    await deps.actor.act(key, { primary, effects: [] }, invocation);
    return;
  }
  const status = decision.kind === 'approve' ? 'Approved' : 'Rejected';
  await deps.actor.act(
    key,
    {
      primary,
      fallback: answerFailed(key, deps, pipeline, executionId, status),
      effects: [
        answerGateEffect(pipeline, { executionId, token: decision.token, status, summary: decision.summary }),
      ],
    },
    invocation,
  );
}

function unprovenHealth(deps: PromoteDeps, pipeline: GuardedPipeline, executionId: string) {
  const key = decisionKeyOf(pipeline.name, 'gate', 'unproven', executionId);
  const index = deps.config.pipelines.indexOf(pipeline);
  const dev = deps.config.environments.dev;
  const where = dev ? `the Dev account ${dev.accountId}` : "the guard's own account";
  return announcement(key, guardFailed, {
    mode: deps.config.mode,
    reaction: 'promote',
    pipeline: pipeline.name,
    executionId,
    error: {
      name: 'NoDevAlarmMatches',
      message: `no alarm in ${where} matches pipelines.${index}.devAlarms ${JSON.stringify(pipeline.devAlarms)}`,
    },
    call: 'cloudwatch.DescribeAlarms',
    consequence:
      `not approved: ${executionId} waits at ${pipeline.prodStage}/${pipeline.gateAction}. Check the selector, ` +
      `and if the Dev alarms live in another account, environments.dev (README "Dev and Prod in other accounts")`,
  });
}

function answerFailed(
  key: DecisionKey,
  deps: PromoteDeps,
  pipeline: GuardedPipeline,
  executionId: string,
  status: 'Approved' | 'Rejected',
) {
  return announcement(key, guardFailed, {
    mode: deps.config.mode,
    reaction: 'promote',
    pipeline: pipeline.name,
    executionId,
    error: { name: 'NotAnswered', message: 'the gate could not be answered' },
    consequence:
      status === 'Approved'
        ? `not approved: ${executionId} still waits at ${pipeline.prodStage}/${pipeline.gateAction}`
        : `not rejected: ${executionId} still waits at the gate`,
  });
}

/** Each answer is its own decision: a Prod stage retried by a person can be answered, and announced, again. */
export function gateKeys(pipeline: GuardedPipeline, executionId: string) {
  return {
    approve: decisionKeyOf(pipeline.name, 'gate', 'approve', executionId),
    reject: decisionKeyOf(pipeline.name, 'gate', 'reject', executionId),
  };
}
