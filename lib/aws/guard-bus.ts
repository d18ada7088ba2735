import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { z } from '../zod';
import { GUARD_SOURCE, type GuardContract } from '../../events/guard/guard-event';

export type EventBridgeSender = Pick<EventBridgeClient, 'send'>;

export class PublishError extends Error {
  override name = 'PublishError';
}

/** Publishes the guard's own facts; a partial failure of PutEvents is a failure. */
export function makeGuardBus(client: EventBridgeSender, busName: string) {
  /** Puts an already checked detail (a contract's, or one the outbox stored) on the bus. */
  async function emitStored(detailType: string, detail: string): Promise<void> {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: GUARD_SOURCE, DetailType: detailType, Detail: detail }],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      const entry = result.Entries?.[0];
      throw new PublishError(`PutEvents rejected ${detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }
  return {
    async emit<T extends string, D extends z.ZodMiniType>(
      contract: GuardContract<T, D>,
      detail: z.input<D>,
    ): Promise<void> {
      await emitStored(contract.detailType, JSON.stringify(contract.detail.parse(detail)));
    },
    emitStored,
  };
}

export type GuardBus = ReturnType<typeof makeGuardBus>;
