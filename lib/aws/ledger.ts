import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { partitionOf } from './partitions';

export type DynamoSender = Pick<DynamoDBClient, 'send'>;

/** What the guard remembers about one execution: when it left Dev, its commit, and what was decided. */
export type ReleaseRecord = {
  pipeline: string;
  executionId: string;
  devSucceededAt: string;
  bakeEndsAt: string;
  commitId?: string;
  commitMessage?: string;
  decision?: string;
};

/** Every ledger item expires (DynamoDB TTL, epoch seconds) this long after the moment it describes. */
const TTL_DAYS = 30;

export function expiresAt(from: Date): number {
  return Math.floor(from.getTime() / 1000) + TTL_DAYS * 86_400;
}

/** The release ledger: one DynamoDB item per (pipeline, execution), in the partition `release#<pipeline>`. */
export function makeLedger(client: DynamoSender, tableName: string) {
  const read = readWithLegacyFallback(client, tableName);
  return {
    /** First writer wins, so a duplicate Dev success cannot move the bake start. */
    async recordRelease(record: ReleaseRecord): Promise<'created' | 'exists'> {
      const written = await conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              ...record,
              pipeline: partitionOf.release(record.pipeline),
              expiresAt: expiresAt(new Date(record.devSucceededAt)),
            }),
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
      return written ? 'created' : 'exists';
    },

    /** The releases that left Dev since `since`, oldest first (one Query page, up to 1 MB: `release-guard status`). */
    async releasesSince(pipeline: string, since: Date): Promise<ReleaseRecord[]> {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pipeline = :p',
          FilterExpression: 'devSucceededAt >= :since',
          ExpressionAttributeValues: {
            ':p': { S: partitionOf.release(pipeline) },
            ':since': { S: since.toISOString() },
          },
        }),
      );
      return (out.Items ?? [])
        .map((item) => ({ ...fromItem(item), pipeline }) as ReleaseRecord)
        .sort((a, b) => a.devSucceededAt.localeCompare(b.devSucceededAt));
    },

    async getRelease(pipeline: string, executionId: string): Promise<ReleaseRecord | undefined> {
      const Item = await read(partitionOf.release(pipeline), pipeline, executionId);
      return Item ? ({ ...fromItem(Item), pipeline } as ReleaseRecord) : undefined;
    },
  };
}

/**
 * Reads a record under its kind's partition, else under the pipeline's own partition, where records written
 * before kind-prefixed partitions live until they expire (TTL, 30 days). Trusting a legacy item is safe: since
 * this change every partition a role may write holds a `#`, which no pipeline name does (infra/*.yml,
 * test/packaging), so no role can add or alter a legacy item: each was written before the change, by the code
 * that then owned its kind. The fallback can go 30 days after the deploy; it costs a second read only when the
 * record is absent.
 */
export function readWithLegacyFallback(client: DynamoSender, tableName: string) {
  return async (
    partition: string,
    legacyPartition: string,
    sortKey: string,
  ): Promise<Record<string, AttributeValue> | undefined> => {
    for (const pipeline of [partition, legacyPartition]) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pipeline: { S: pipeline }, executionId: { S: sortKey } },
          ConsistentRead: true,
        }),
      );
      if (Item) return Item;
    }
    return undefined;
  };
}

export type Ledger = ReturnType<typeof makeLedger>;

export type Flat = Record<string, string | number | undefined>;

/**
 * The ledger holds flat records of strings and numbers, so this is all of DynamoDB's marshalling it needs;
 * @aws-sdk/util-dynamodb would cost every bundle more than the 120 KiB budget leaves.
 */
export function toItem(record: Flat): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === 'string') item[k] = { S: v };
    else if (typeof v === 'number') item[k] = { N: String(v) };
  }
  return item;
}

export function fromItem(item: Record<string, AttributeValue>): Flat {
  const record: Flat = {};
  for (const [k, v] of Object.entries(item)) {
    if (v.S !== undefined) record[k] = v.S;
    else if (v.N !== undefined) record[k] = Number(v.N);
  }
  return record;
}

/** Runs a conditional write: true when it was written, false when its condition failed (someone was first). */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
