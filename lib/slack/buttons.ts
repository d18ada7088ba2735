import type { CommandName } from '../command/command-schema';

/**
 * What a button on the guard's messages carries (handlers/notify/messages/controls.ts renders it, slack-request.ts
 * reads it back): action_id `release-guard:<command>`; value: the pipeline, the execution, and a nonce.
 * Kept apart from the request parser so that the notifier bundles only these few lines.
 */
export const ACTION_PREFIX = 'release-guard:';

export type ButtonValue = { p: string; e?: string; n: string };

export const BUTTON_LABELS: Record<CommandName, string> = {
  hold: 'Hold',
  'release-hold': 'Release hold',
  'promote-now': 'Promote now',
  'lift-block': 'Lift block',
  'rollback-now': 'Roll back now',
  status: 'Status',
  history: 'History',
};
