import type { Announcement } from '../../lib/act/intent';
import type { Unfinished } from '../../lib/act/sweep';
import type { GuardConfig } from '../../config/schema';

/** A decision is swept this long after it was recorded: past every Lambda retry of its event (about 3 minutes). */
export const SWEEP_AFTER_MS = 15 * 60_000;

/**
 * What the reconciler announces for a decision its function left unannounced (invariant 5: never silence):
 * - `acted`: every effect's outcome is stored with the announcement it makes — that announcement, as it is (the
 *   notifier keys its one Slack message on the decision key, so a copy that did reach the bus posts nothing new);
 * - `pending`: the function stopped between recording the decision and knowing its effects. Nobody knows whether
 *   they ran: a GuardFailed lists them, with what to check and how to let the guard finish.
 */
export function decideSweep(u: Unfinished, mode: GuardConfig['mode']): Announcement {
  const { entry, owner } = u;
  if (entry.state === 'acted' && entry.final) return entry.final;
  const effects = entry.intent.effects;
  const first = effects[0];
  const list = effects.map((e) => `${e.call} on ${e.resource}`).join('; ');
  const primaryMode = entry.intent.primary.detail.mode;
  return {
    detailType: 'GuardFailed',
    detail: {
      decisionKey: `${entry.key.id} interrupted`,
      mode: primaryMode === 'observe' || primaryMode === 'enforce' ? primaryMode : mode,
      reaction: owner,
      pipeline: entry.key.pipeline,
      ...(typeof entry.intent.primary.detail.executionId === 'string'
        ? { executionId: entry.intent.primary.detail.executionId }
        : {}),
      error: {
        name: 'Interrupted',
        message: `${owner} recorded the decision "${entry.key.id}" (${entry.intent.primary.detailType}) and has not finished it after ${entry.attempt} attempt(s)`,
      },
      ...(first ? { call: first.call, resource: first.resource } : {}),
      consequence:
        effects.length > 0
          ? `whether these ran is not known: ${list}. Check them in the console; redriving the event from the guard's dead-letter queue lets the guard finish the decision (it recognises what was done)`
          : `nothing was written; redrive the event from the guard's dead-letter queue to let the guard decide again`,
    },
  };
}
