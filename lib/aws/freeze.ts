import type { GuardConfig } from '../../config/schema';
import { freezeStateAt, type FreezeState } from '../freeze/freeze-state';
import { getChangeCalendarState, type SsmSender } from './change-calendar';

/**
 * The gate's freeze at a moment: the configured windows (pure) and, when configured, one GetCalendarState for all
 * the Change Calendars (every one OPEN, or the gate waits). A calendar that cannot be read fails the decision
 * closed (no approval), as every unreadable fact does. (A dynamic import of the SSM gateway was measured: esbuild
 * then bundles all of @aws-sdk/client-ssm, 180 KiB instead of 152.5: static it stays.)
 */
export function makeFreeze(config: GuardConfig, ssm: SsmSender) {
  const windows = config.freeze?.windows ?? [];
  const names = config.freeze?.changeCalendars ?? [];
  return async (at: Date): Promise<FreezeState> =>
    freezeStateAt({
      at,
      windows,
      ...(names.length ? { calendars: { names, answer: await getChangeCalendarState(ssm, names, at) } } : {}),
    });
}
