import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { boundedKeyPart } from '../bounded-key';
import { conditionalWrite, expiresAt, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/**
 * Which decisions were counted, in the release ledger table: partition `metric#<pipeline>` (no CodePipeline name
 * holds a `#`, so no release record can share it, and IAM can grant exactly this prefix through
 * `dynamodb:LeadingKeys`), sort key the decision key. Duplicates of a decision (concurrent announcers, an outbox
 * re-announcement, a redelivery) then count once. Expires with the other ledger items.
 */
export function makeMetricClaims(client: DynamoSender, tableName: string, now: () => Date) {
  return {
    /** True for the first caller for this decision; false for every duplicate. */
    async claim(pipeline: string | undefined, decisionKey: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pipeline: { S: partitionOf.metric(pipeline ?? '-') },
              executionId: { S: boundedKeyPart(decisionKey) },
              expiresAt: { N: String(expiresAt(now())) },
            },
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
    },
  };
}

export type MetricClaims = ReturnType<typeof makeMetricClaims>;
