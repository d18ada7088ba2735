import type { DecisionDetailType } from '../../../events/guard/catalog';
import type { DecisionDetail, DecisionEvent } from '../../../events/guard/decision-event';
import { renderBakeStarted } from './bake-started';
import { dashboardLink } from './console-links';
import { controlsBlock, controlsFor } from './controls';
import { renderGuardFailed } from './guard-failed';
import { toSlackMessage, type Notice, type RenderContext, type SlackMessage } from './notice';
import { renderPromotionApproved } from './promotion-approved';
import { renderPromotionBlocked } from './promotion-blocked';
import { renderPromotionRejected } from './promotion-rejected';
import { renderPromotionUnblocked } from './promotion-unblocked';
import { renderPromotionHeld } from './promotion-held';
import { renderPersonCommand } from './person-command';
import { renderGateAnsweredByPerson } from './gate-answered-by-person';
import { renderRollbackSkipped } from './rollback-skipped';
import { renderRollbackStarted } from './rollback-started';
import { renderTileRestartCompleted } from './tile-restart-completed';
import { renderTileRestartFailed } from './tile-restart-failed';
import { renderTileRestartStarted } from './tile-restart-started';

type Renderers = { [T in DecisionDetailType]: (detail: DecisionDetail<T>, ctx: RenderContext) => Notice };

/** One pure renderer per decision in events/guard/catalog.ts; the type makes a missing one a compile error. */
export const renderers: Renderers = {
  BakeStarted: renderBakeStarted,
  PromotionApproved: renderPromotionApproved,
  PromotionRejected: renderPromotionRejected,
  PromotionBlocked: renderPromotionBlocked,
  PromotionUnblocked: renderPromotionUnblocked,
  PromotionHeld: renderPromotionHeld,
  PersonCommand: renderPersonCommand,
  GateAnsweredByPerson: renderGateAnsweredByPerson,
  RollbackStarted: renderRollbackStarted,
  RollbackSkipped: renderRollbackSkipped,
  TileRestartStarted: renderTileRestartStarted,
  TileRestartCompleted: renderTileRestartCompleted,
  TileRestartFailed: renderTileRestartFailed,
  GuardFailed: renderGuardFailed,
};

/**
 * The Slack message of one decision event: pure, so tests and the simulator see exactly what is posted.
 * `controls`: Slack controls are configured (config `slack`), so the message carries its buttons (controls.ts).
 * `dashboardName`: every message links to the stage's dashboard, after its own links.
 */
export function renderDecision(
  event: DecisionEvent,
  options: { controls?: boolean; dashboardName?: string } = {},
): SlackMessage {
  const render = renderers[event['detail-type']] as (detail: unknown, ctx: RenderContext) => Notice;
  const ctx = { eventId: event.id, time: event.time, region: event.region };
  const effects = (event.detail as { effects?: Notice['effects'] }).effects;
  const notice = render(event.detail, ctx);
  const links = [...notice.links, ...dashboardLink(event.region, options.dashboardName)];
  const message = toSlackMessage({ ...notice, links, ...(effects?.length ? { effects } : {}) }, ctx);
  const controls = options.controls ? controlsBlock(controlsFor(event), event.id) : undefined;
  // Above the context line, which stays last.
  if (controls) message.blocks.splice(message.blocks.length - 1, 0, controls);
  return message;
}

export type { SlackMessage } from './notice';
