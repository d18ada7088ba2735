import * as z from '../../lib/zod';
import { effectOutcome } from '../../lib/act/intent';
import { envelope, type EventPattern } from '../envelope';

/** The `source` of every event the guard puts on its own bus. */
export const GUARD_SOURCE = 'leadout.release-guard';

export const modeField = z.enum(['observe', 'enforce']);

export type GuardContract<T extends string, D extends z.ZodMiniType> = {
  detailType: T;
  detail: D;
  event: ReturnType<typeof envelope<typeof GUARD_SOURCE, T, D>>;
  pattern: () => EventPattern;
};

/** One contract per emitted detail-type: producers, consumers, rules and tests all take it from here. */
export function guardContract<T extends string, D extends z.ZodMiniType>(
  detailType: T,
  detail: D,
): GuardContract<T, D> {
  return {
    detailType,
    detail,
    event: envelope(GUARD_SOURCE, detailType, detail),
    pattern: () => ({ source: [GUARD_SOURCE], 'detail-type': [detailType] }),
  };
}

/**
 * Names the decision an event announces (lib/aws/outbox.ts): the same on a re-announcement after a failed
 * PutEvents, so the notifier posts once per decision, not once per event id.
 */
export const decisionKeyField = {
  decisionKey: z.optional(z.string().check(z.minLength(1))),
  /** Each write the decision made, and each that failed (lib/act/act.ts): one announcement lists them all. */
  effects: z.optional(z.array(effectOutcome)),
};

export const releaseRef = {
  ...decisionKeyField,
  pipeline: z.string().check(z.minLength(1)),
  executionId: z.string().check(z.minLength(1)),
  commitId: z.optional(z.string()),
  commitMessage: z.optional(z.string()),
};
