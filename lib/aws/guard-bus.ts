import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { z } from 'zod';
import { GUARD_SOURCE, type GuardContract } from '../../events/guard/guard-event';

export type EventBridgeSender = Pick<EventBridgeClient, 'send'>;

export class PublishError extends Error {
  override name = 'PublishError';
}

/** Publishes the guard's own facts; a partial failure of PutEvents is a failure. */
export function makeGuardBus(client: EventBridgeSender, busName: string) {
  return {
    async emit<T extends string, D extends z.ZodType>(
      contract: GuardContract<T, D>,
      detail: z.input<D>,
    ): Promise<void> {
      const checked = contract.detail.parse(detail);
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: GUARD_SOURCE,
              DetailType: contract.detailType,
              Detail: JSON.stringify(checked),
            },
          ],
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const entry = result.Entries?.[0];
        throw new PublishError(
          `PutEvents rejected ${contract.detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`,
        );
      }
    },
  };
}

export type GuardBus = ReturnType<typeof makeGuardBus>;
