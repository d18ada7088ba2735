import type { GuardConfig } from '../../config/schema';
import { freezeStateAt, type FreezeState } from '../freeze/freeze-state';
import type { SsmSender } from './change-calendar';

/**
 * The gate's freeze at a moment: the configured windows (pure) and, when configured, one GetCalendarState for all
 * the Change Calendars (every one OPEN, or the gate waits). A calendar that cannot be read fails the decision
 * closed (no approval), as every unreadable fact does.
 */
export function makeFreeze(config: GuardConfig, ssm: SsmSender) {
  const windows = config.freeze?.windows ?? [];
  const names = config.freeze?.changeCalendars ?? [];
  return async (at: Date): Promise<FreezeState> => {
    if (names.length === 0) return freezeStateAt({ at, windows });
    // Loaded on first use: a stage without calendars never evaluates the SSM client's code (cold start).
    const { getChangeCalendarState } = await import('./change-calendar');
    return freezeStateAt({
      at,
      windows,
      calendars: { names, answer: await getChangeCalendarState(ssm, names, at) },
    });
  };
}
