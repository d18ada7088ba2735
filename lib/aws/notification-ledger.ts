import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { boundedKeyPart } from '../bounded-key';
import { conditionalWrite, expiresAt, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/**
 * Which guard events were posted to Slack, in the release ledger table: partition `#notifications` (no
 * CodePipeline name can start with #), sort key `notified#<event id>` (a long id hashed: lib/bounded-key.ts).
 *
 * A record is `posting` with a lease before the post and `posted` after it. A crash between the two leaves
 * `posting`: once the lease is over, the next attempt posts again. That errs towards a second message over a
 * missing one: a lost "Prod stopped" or "rollback failed" costs more than reading one twice, and the window is
 * the few milliseconds between Slack's answer and the update.
 */
export type Claim = { outcome: 'claimed'; lease: number } | { outcome: 'posted' } | { outcome: 'in-flight' };

const PARTITION = partitionOf.notifications();

export function makeNotificationLedger(
  client: DynamoSender,
  tableName: string,
  options: { leaseMs: number; now: () => number },
) {
  const key = (eventId: string): Record<string, AttributeValue> => ({
    pipeline: { S: PARTITION },
    executionId: { S: `notified#${boundedKeyPart(eventId)}` },
  });

  return {
    /** The right to post this event: first claim wins; a live claim of another attempt is `in-flight`. */
    async claim(eventId: string, detailType: string): Promise<Claim> {
      const now = options.now();
      const lease = now + options.leaseMs;
      const item = {
        ...key(eventId),
        notified: { S: 'posting' },
        leaseUntil: { N: String(lease) },
        detailType: { S: detailType },
        expiresAt: { N: String(expiresAt(new Date(now))) },
      };
      const created = await conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
      if (created) return { outcome: 'claimed', lease };
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(eventId), ConsistentRead: true }),
      );
      if (Item?.notified?.S === 'posted') return { outcome: 'posted' };
      const seen = Item?.leaseUntil?.N;
      if (!seen || Number(seen) > now) return { outcome: 'in-flight' };
      // The attempt that held the lease is gone (it failed or timed out): take over, unless another one just did.
      const taken = await conditionalWrite(() => setLease(eventId, lease, seen));
      return taken ? { outcome: 'claimed', lease } : { outcome: 'in-flight' };
    },

    /** Slack took the message: duplicates from now on are dropped. */
    async markPosted(eventId: string): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(eventId),
          UpdateExpression: 'SET notified = :posted, postedAt = :at',
          ExpressionAttributeValues: {
            ':posted': { S: 'posted' },
            ':at': { S: new Date(options.now()).toISOString() },
          },
        }),
      );
    },

    /** The post failed: end the lease at once, so the Lambda retry need not wait for it to run out. */
    async release(eventId: string, lease: number): Promise<void> {
      await conditionalWrite(() => setLease(eventId, 0, String(lease)));
    },
  };

  function setLease(eventId: string, lease: number, expected: string) {
    return client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(eventId),
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: 'leaseUntil = :seen',
        ExpressionAttributeValues: { ':lease': { N: String(lease) }, ':seen': { N: expected } },
      }),
    );
  }
}

export type NotificationLedger = ReturnType<typeof makeNotificationLedger>;
