import * as z from '../../lib/zod';
import { effectOutcome } from '../../lib/act/intent';
import { envelope, type EventPattern } from '../envelope';
import { once } from '../../lib/lazy';

/** The `source` of every event the guard puts on its own bus. */
export const GUARD_SOURCE = 'leadout.release-guard';

export const modeField = z.enum(['observe', 'enforce']);

export type GuardContract<T extends string, D extends z.ZodMiniType> = {
  detailType: T;
  /** Built on first use (cold start: a function builds only the contracts it parses or emits). */
  readonly detail: D;
  readonly event: ReturnType<typeof envelope<typeof GUARD_SOURCE, T, D>>;
  pattern: () => EventPattern;
};

/**
 * One contract per emitted detail-type: producers, consumers, rules and tests all take it from here. `detail` is
 * given as a function and built on first use, then kept: every function imports the whole catalogue of contracts
 * but parses or emits only a few, and building zod schemas is most of the guard's own cold import
 * (docs/performance.md "Cold import").
 */
export function guardContract<T extends string, D extends z.ZodMiniType>(
  detailType: T,
  detail: () => D,
): GuardContract<T, D> {
  const built = once(detail);
  const event = once(() => envelope(GUARD_SOURCE, detailType, built()));
  return {
    detailType,
    get detail() {
      return built();
    },
    get event() {
      return event();
    },
    pattern: () => ({ source: [GUARD_SOURCE], 'detail-type': [detailType] }),
  };
}

/**
 * Names the decision an event announces (lib/aws/outbox.ts): the same on a re-announcement after a failed
 * PutEvents, so the notifier posts once per decision, not once per event id.
 */
export const decisionKeyField = () => ({
  decisionKey: z.optional(z.string().check(z.minLength(1))),
  /** Each write the decision made, and each that failed (lib/act/act.ts): one announcement lists them all. */
  effects: z.optional(z.array(effectOutcome())),
});

export const releaseRef = () => ({
  ...decisionKeyField(),
  pipeline: z.string().check(z.minLength(1)),
  executionId: z.string().check(z.minLength(1)),
  commitId: z.optional(z.string()),
  commitMessage: z.optional(z.string()),
});
