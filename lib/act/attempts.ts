import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoSender } from '../aws/ledger';
import { partitionOf } from '../aws/partitions';

/** Lambda runs an asynchronous invocation at most this often: once, then `maximumRetryAttempts` (2) more. */
export const LAMBDA_ATTEMPTS = 3;

const DAY_S = 86_400;

/**
 * Counts the failed attempts at one event, so that the last one reports instead of throwing into the
 * dead-letter queue. Only a failing invocation pays for it (one read, one write); a dead one is not counted, so
 * its successor may throw once more than needed: the DLQ and its alarm then say so. Each reaction counts in its
 * own partition, `attempts#<reaction>`, the only one its role may write.
 */
export function makeAttemptCounter(client: DynamoSender, tableName: string, now: () => Date) {
  return {
    /** Records one more failed attempt at the event; true when no retry is left. */
    async failedAgain(reaction: string, eventId: string): Promise<boolean> {
      const key = {
        pipeline: { S: partitionOf.attempts(reaction) },
        executionId: { S: `${reaction} ${eventId}` },
      };
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      const failed = Number(Item?.failed?.N ?? '0') + 1;
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...key,
            failed: { N: String(failed) },
            expiresAt: { N: String(Math.floor(now().getTime() / 1000) + DAY_S) },
          },
        }),
      );
      return failed >= LAMBDA_ATTEMPTS;
    },
  };
}

export type AttemptCounter = ReturnType<typeof makeAttemptCounter>;
