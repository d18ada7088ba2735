import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import type { GuardContract } from '../../events/guard/guard-event';
import type { GuardBus } from './guard-bus';
import { retried } from '../retry';
import { conditionalWrite, expiresAt, type DynamoSender } from './ledger';

/**
 * Names one decision, the same on every retry and duplicate of the event that made it. `id` starts with the
 * pipeline, so it is unique across pipelines: the notifier keys its one Slack message on it.
 */
export type DecisionKey = { pipeline: string; id: string };

export function decisionKeyOf(pipeline: string, ...parts: string[]): DecisionKey {
  return { pipeline, id: [pipeline, ...parts].join(' ') };
}

const STAGE_ATTEMPTS = 3;

/**
 * The guard's announcements, in the release ledger table: item (pipeline, `announce#<decision key>`).
 *
 * A reaction writes first (the timer, the approval, the claim), then `announce`s: the event is staged (first
 * writer wins), put on the bus, and marked announced. A retry or duplicate that finds the write already done
 * calls `flush`: an event staged but never announced (PutEvents failed) goes out now, from what was stored.
 */
export function makeOutbox(
  client: DynamoSender,
  tableName: string,
  bus: GuardBus,
  now: () => Date = () => new Date(),
) {
  const itemKey = (key: DecisionKey): Record<string, AttributeValue> => ({
    pipeline: { S: key.pipeline },
    executionId: { S: `announce#${key.id}` },
  });

  async function send(key: DecisionKey, detailType: string, detail: string): Promise<void> {
    await bus.emitStored(detailType, detail);
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: itemKey(key),
        UpdateExpression: 'SET announced = :yes',
        ExpressionAttributeValues: { ':yes': { S: 'yes' } },
      }),
    );
  }

  async function flush(key: DecisionKey): Promise<'announced' | 'nothing-due'> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: itemKey(key), ConsistentRead: true }),
    );
    const detailType = Item?.detailType?.S;
    const detail = Item?.detail?.S;
    if (!detailType || !detail || Item?.announced?.S === 'yes') return 'nothing-due';
    await send(key, detailType, detail);
    return 'announced';
  }

  return {
    /** The decision's write is done: announce it once, under its key. */
    async announce<T extends string, D extends z.ZodType>(
      key: DecisionKey,
      contract: GuardContract<T, D>,
      detail: z.input<D>,
    ): Promise<void> {
      const checked = JSON.stringify(contract.detail.parse({ ...(detail as object), decisionKey: key.id }));
      // A staging write lost after the decision's write would lose its announcement for good: retried at once.
      const staged = await retried(STAGE_ATTEMPTS, () =>
        conditionalWrite(() =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                ...itemKey(key),
                detailType: { S: contract.detailType },
                detail: { S: checked },
                expiresAt: { N: String(expiresAt(now())) },
              },
              ConditionExpression: 'attribute_not_exists(executionId)',
            }),
          ),
        ),
      );
      // Another attempt staged this decision first: its event is the one to announce.
      if (!staged) {
        await flush(key);
        return;
      }
      await send(key, contract.detailType, checked);
    },

    /** The write was already done by an earlier attempt: announce what it staged, if it never went out. */
    flush,
  };
}

export type Outbox = ReturnType<typeof makeOutbox>;
