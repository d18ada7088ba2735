import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { z } from './zod';

export type GuardLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'setCorrelationId'>;

/**
 * Wraps a reaction: the event id becomes the log correlation id, and an event that fails its contract is
 * logged and dropped. Throwing for it would only make EventBridge retry an event that can never be valid.
 */
export function reaction<S extends z.ZodMiniType>(
  name: string,
  schema: S,
  logger: GuardLogger,
  run: (event: z.output<S>) => Promise<void>,
) {
  return middy(async (event: unknown): Promise<void> => {
    const eventId =
      typeof event === 'object' && event !== null && 'id' in event ? String(event.id) : undefined;
    logger.setCorrelationId(eventId);
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      logger.warn('Dropped an event that does not match its contract', {
        reaction: name,
        eventId,
        invalidEvent: true,
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      return;
    }
    await run(parsed.data);
  }, LAMBDA_OWNS_THE_TIMEOUT);
}

/**
 * No middy early timeout: Lambda's own timeout ends an invocation, and the decision journal is built for
 * exactly that death (docs/design.md, invariant 5). Middy's timer would only race Lambda by 5 ms, and in the
 * simulator, where an invocation that dies is abandoned mid-await, each one would hold its whole world for
 * the real seconds of the function's timeout (the property runs ran out of heap that way).
 */
const LAMBDA_OWNS_THE_TIMEOUT = { timeoutEarlyInMillis: 0 };
