import { bakeStarted } from './bake-started';
import { guardFailed } from './guard-failed';
import { promotionApproved } from './promotion-approved';
import { promotionBlocked } from './promotion-blocked';
import { promotionRejected } from './promotion-rejected';
import { promotionUnblocked } from './promotion-unblocked';
import { promotionHeld } from './promotion-held';
import { personCommand } from './person-command';
import { gateAnsweredByPerson } from './gate-answered-by-person';
import { rollbackSkipped } from './rollback-skipped';
import { rollbackStarted } from './rollback-started';
import { tileRestartCompleted } from './tile-restart-completed';
import { tileRestartFailed } from './tile-restart-failed';
import { tileRestartStarted } from './tile-restart-started';

/**
 * Every decision the guard announces (BakeTimerFired is a timer, not a decision). The notifier and the metrics
 * subscribe to exactly these: one Slack message and one set of metrics per event.
 */
export const decisionContracts = [
  bakeStarted,
  promotionApproved,
  promotionRejected,
  promotionBlocked,
  promotionUnblocked,
  promotionHeld,
  personCommand,
  gateAnsweredByPerson,
  rollbackStarted,
  rollbackSkipped,
  tileRestartStarted,
  tileRestartCompleted,
  tileRestartFailed,
  guardFailed,
] as const;

export type DecisionDetailType = (typeof decisionContracts)[number]['detailType'];
