import type { DecisionEvent } from '../../../events/guard/decision-event';
import type { CommandName } from '../../../lib/command/command-schema';
import { ACTION_PREFIX, BUTTON_LABELS, type ButtonValue } from '../../../lib/slack/buttons';

/**
 * The buttons on the guard's messages (Slack controls, docs/slack-controls.md), only when config `slack` is set.
 * A press reaches the Slack endpoint as `release-guard:<command>` with the pipeline, the execution the message
 * names and a nonce (the message's event id): the nonce tells a double click on this rendering of a button
 * (acted on once) from a press of the same button after the message was updated.
 */

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };

export type ButtonElement = {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: {
    title: PlainText;
    text: { type: 'mrkdwn'; text: string };
    confirm: PlainText;
    deny: PlainText;
    style?: 'primary' | 'danger';
  };
};

export type ActionsBlock = { type: 'actions'; block_id: string; elements: ButtonElement[] };

/** The block_id of the controls: an update replaces exactly this block. */
export const CONTROLS_BLOCK_ID = 'release-guard-controls';

export type ControlCommand = Exclude<CommandName, 'status'>;
export type Control = { command: ControlCommand; pipeline: string; executionId?: string };

const plain = (text: string): PlainText => ({ type: 'plain_text', text, emoji: true });
const short = (id: string | undefined) => (id ? ` \`${id.slice(0, 8)}\`` : '');

/** What a confirm dialog says will happen: every button that lets a release through or changes Prod has one. */
function confirmText(c: Control): string | undefined {
  switch (c.command) {
    case 'hold':
      return undefined;
    case 'release-hold':
      return `Ends every hold on *${c.pipeline}*: a waiting, fully baked, healthy execution is approved into Prod at once.`;
    case 'promote-now':
      return `Break glass: approves execution${short(c.executionId)} of *${c.pipeline}* into Prod *before its bake is over*, past holds and freezes. Refused while a selected Dev alarm fires. Recorded with your name.`;
    case 'lift-block':
      return `Re-enables the transition into Prod of *${c.pipeline}* while a Dev alarm still fires. The guard leaves it open for this alarm episode. Recorded with your name.`;
    case 'rollback-now':
      return `Restores the last release of *${c.pipeline}* before the one now in Prod that succeeded end to end, now. Recorded with your name.`;
  }
}

export function button(c: Control, nonce: string): ButtonElement {
  const value: ButtonValue = {
    p: c.pipeline,
    ...(c.executionId ? { e: c.executionId } : {}),
    n: nonce.slice(0, 64),
  };
  const text = confirmText(c);
  const danger = c.command === 'promote-now' || c.command === 'lift-block' || c.command === 'rollback-now';
  return {
    type: 'button',
    action_id: `${ACTION_PREFIX}${c.command}`,
    text: plain(BUTTON_LABELS[c.command]),
    value: JSON.stringify(value),
    ...(danger ? { style: 'danger' as const } : c.command === 'hold' ? { style: 'primary' as const } : {}),
    ...(text
      ? {
          confirm: {
            title: plain(`${BUTTON_LABELS[c.command]}?`),
            text: { type: 'mrkdwn' as const, text },
            confirm: plain(BUTTON_LABELS[c.command]),
            deny: plain('Cancel'),
            ...(danger ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

export function controlsBlock(controls: Control[], nonce: string): ActionsBlock | undefined {
  if (controls.length === 0) return undefined;
  return { type: 'actions', block_id: CONTROLS_BLOCK_ID, elements: controls.map((c) => button(c, nonce)) };
}

/**
 * Which buttons make sense on a decision's message: a bake (or an execution waiting at the gate) can be held or
 * promoted now; a held one released; an alarm's block lifted; an approved release (or one the guard would have rolled back) rolled back.
 */
export function controlsFor(event: DecisionEvent): Control[] {
  switch (event['detail-type']) {
    case 'BakeStarted': {
      const d = event.detail;
      if (d.restore) return [];
      return [
        { command: 'hold', pipeline: d.pipeline },
        { command: 'promote-now', pipeline: d.pipeline, executionId: d.executionId },
      ];
    }
    // Waiting at the gate, held or frozen: end the holds, or break glass for this execution (past both).
    case 'PromotionHeld': {
      const d = event.detail;
      return [
        ...(d.holds.length > 0 ? [{ command: 'release-hold' as const, pipeline: d.pipeline }] : []),
        { command: 'promote-now', pipeline: d.pipeline, executionId: d.executionId },
      ];
    }
    case 'PromotionBlocked':
      return [{ command: 'lift-block', pipeline: event.detail.pipeline }];
    case 'PromotionApproved':
      return [{ command: 'rollback-now', pipeline: event.detail.pipeline }];
    // Observe mode: the guard would have rolled back and did not; a person may.
    case 'RollbackStarted':
      return event.detail.mode === 'observe'
        ? [{ command: 'rollback-now', pipeline: event.detail.pipeline }]
        : [];
    case 'PersonCommand': {
      const d = event.detail;
      return d.command === 'hold' && d.outcome === 'done'
        ? [{ command: 'release-hold', pipeline: d.pipeline }]
        : [];
    }
    default:
      return [];
  }
}

/** The buttons that make sense after a command from Slack was done (the message is updated with them). */
export function controlsAfter(command: string, pipeline: string | undefined): Control[] {
  if (!pipeline) return [];
  if (command === 'hold') return [{ command: 'release-hold', pipeline }];
  if (command === 'release-hold') return [{ command: 'hold', pipeline }];
  return [];
}
