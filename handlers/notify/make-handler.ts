import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';
import type { NotificationLedger } from '../../lib/aws/notification-ledger';
import { describeError } from '../../lib/errors';
import { reaction, type GuardLogger } from '../../lib/reaction';
import type { SlackPoster } from '../../lib/slack-webhook';
import { renderDecision, type SlackMessage } from './messages';
import { wellFormedDeep } from './well-formed-event';

export type NotifyDeps = {
  ledger: Pick<NotificationLedger, 'claim' | 'markPosted' | 'release'>;
  slack: Pick<SlackPoster, 'post'>;
  logger: GuardLogger;
  /** The stage's release-safety dashboard: every message links to it (config/dashboard.cjs). */
  dashboardName?: string;
  /** Slack controls are configured (config `slack`): messages carry their buttons. */
  controls?: boolean;
};

/** Another attempt holds the claim on this event right now; throwing lets the async invoke come back later. */
export class NotificationInFlightError extends Error {
  override name = 'NotificationInFlightError';
}

/**
 * A decision was announced on the guard's bus: post its one Slack message. This function is the only one that
 * talks to Slack, so a slow or failing Slack delays no safety action: those were taken before the event existed.
 */
export function makeHandler(deps: NotifyDeps) {
  return reaction('notify', decisionEvent, deps.logger, async (parsed) => {
    const event = wellFormedDeep(parsed as DecisionEvent);
    // Rendered before the claim: a message that cannot be rendered must not hold a lease it will never finish.
    const message = renderOrFallback(deps, event);
    const ref = { eventId: event.id, detailType: event['detail-type'] };
    // One message per decision: a re-announcement (lib/aws/outbox.ts) is a new event of the same decision.
    const claimKey = ('decisionKey' in event.detail ? event.detail.decisionKey : undefined) ?? event.id;
    const claim = await deps.ledger.claim(claimKey, event['detail-type']);
    if (claim.outcome === 'posted') {
      deps.logger.info('Already posted to Slack: a duplicate delivery', ref);
      return;
    }
    if (claim.outcome === 'in-flight') {
      throw new NotificationInFlightError(`Another attempt is posting ${event['detail-type']} ${claimKey}`);
    }
    let attempts: number;
    try {
      ({ attempts } = await deps.slack.post(message));
    } catch (error) {
      deps.logger.error('Slack did not take the message; the invocation is retried, then dead-lettered', {
        ...ref,
        error: describeError(error),
      });
      await deps.ledger.release(claimKey, claim.lease);
      throw error;
    }
    await recordPosted(deps, claimKey, ref);
    deps.logger.info('Posted to Slack', { ...ref, attempts, text: message.text });
  });
}

/** A renderer bug must not silence a decision: the plain facts are posted instead of nothing. */
function renderOrFallback(deps: NotifyDeps, event: DecisionEvent): SlackMessage {
  try {
    return renderDecision(event, {
      controls: deps.controls === true,
      ...(deps.dashboardName ? { dashboardName: deps.dashboardName } : {}),
    });
  } catch (error) {
    deps.logger.error('Could not render the decision; posting its plain facts', {
      eventId: event.id,
      error: describeError(error),
    });
    const d = event.detail as { pipeline?: string; executionId?: string };
    const facts = `${event['detail-type']} for ${d.pipeline ?? 'the guard'}${d.executionId ? ` (execution ${d.executionId})` : ''}`;
    const text = facts.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 2_000);
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
}

/** Slack has the message: failing to record that must not fail the invocation, whose retry would post again. */
async function recordPosted(
  deps: NotifyDeps,
  claimKey: string,
  ref: { eventId: string; detailType: string },
): Promise<void> {
  try {
    await deps.ledger.markPosted(claimKey);
  } catch (error) {
    deps.logger.error('Posted, but not recorded: a redelivery after the lease could post again', {
      ...ref,
      error: describeError(error),
    });
  }
}
