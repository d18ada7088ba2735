import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

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

const TTL_DAYS = 30;

/** The release ledger: one DynamoDB item per (pipeline, execution). */
export function makeLedger(client: DynamoSender, tableName: string) {
  const key = (pipeline: string, executionId: string) => marshall({ pipeline, executionId });
  return {
    /** First writer wins, so a duplicate Dev success cannot move the bake start. */
    async recordRelease(record: ReleaseRecord): Promise<'created' | 'exists'> {
      const expiresAt = Math.floor(Date.parse(record.devSucceededAt) / 1000) + TTL_DAYS * 86_400;
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({ ...record, expiresAt }, { removeUndefinedValues: true }),
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },

    async getRelease(pipeline: string, executionId: string): Promise<ReleaseRecord | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(pipeline, executionId), ConsistentRead: true }),
      );
      return Item ? (unmarshall(Item) as ReleaseRecord) : undefined;
    },

    /** Records the first decision for an execution; a later claim (a duplicate) gets `false`. */
    async claimDecision(pipeline: string, executionId: string, decision: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(pipeline, executionId),
            UpdateExpression: 'SET decision = :d',
            ConditionExpression: 'attribute_exists(executionId) AND attribute_not_exists(decision)',
            ExpressionAttributeValues: marshall({ ':d': decision }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}

export type Ledger = ReturnType<typeof makeLedger>;
