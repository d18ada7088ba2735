import { GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { expiresAt, type DynamoSender } from '../aws/ledger';
import { JOURNAL_OWNERS, partitionOf, type JournalOwner } from '../aws/partitions';
import { fromItem, type JournalEntry } from './journal';

/** A journal decision its function left unannounced, as the reconciler finds it. */
export type Unfinished = { owner: JournalOwner; entry: JournalEntry };

/** Pages read per journal partition and run: a backlog larger than this is swept over the next runs. */
const MAX_PAGES = 4;

/**
 * The reconciler's view of every function's decision journal (lib/act/journal.ts): the decisions still `pending`
 * or `acted` that were recorded before `staleBefore` and that no invocation holds now — their function died on
 * its last attempts, or could not reach the bus on any. Reads every owner's partition; writes only `swept#<pipeline>`,
 * its own record of what it announced, so each is announced once (docs/design.md, invariant 5).
 */
export function makeJournalSweep(client: DynamoSender, tableName: string) {
  const sweptKey = (pipeline: string, owner: JournalOwner, id: string): Record<string, AttributeValue> => ({
    pipeline: { S: partitionOf.swept(pipeline) },
    executionId: { S: `${owner} ${id}` },
  });

  async function unfinishedOf(
    owner: JournalOwner,
    pipeline: string,
    staleBefore: Date,
    now: Date,
  ): Promise<Unfinished[]> {
    const found: Unfinished[] = [];
    let start: Record<string, AttributeValue> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          // The partition holds only this owner's journal (announce#… items): pending or acted, not announced.
          KeyConditionExpression: 'pipeline = :p',
          FilterExpression: 'attribute_exists(#state) AND #state <> :announced',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':p': { S: partitionOf.journal(owner, pipeline) },
            ':announced': { S: 'announced' },
          },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const sortKey = item.executionId?.S ?? '';
        if (!sortKey.startsWith('announce#')) continue;
        const id = sortKey.slice('announce#'.length);
        const entry = fromItem({ pipeline, id }, item);
        // Recorded long ago and nobody holds it now. Its lease alone is not enough: the reconciler's hand-over of an
        // overdue approval retries a decision every run, so one that keeps dying renews its lease forever.
        const idle = (entry.leaseUntil ?? entry.createdAt).getTime() < now.getTime();
        if (idle && entry.createdAt.getTime() < staleBefore.getTime()) found.push({ owner, entry });
      }
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return found;
  }

  return {
    async unfinished(pipeline: string, staleBefore: Date, now: Date): Promise<Unfinished[]> {
      // One Query per owner's partition, side by side: a quiet journal costs one round trip, not seven.
      const found = await Promise.all(
        JOURNAL_OWNERS.map((owner) => unfinishedOf(owner, pipeline, staleBefore, now)),
      );
      return found.flat();
    },
    async wasSwept(u: Unfinished): Promise<boolean> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: sweptKey(u.entry.key.pipeline, u.owner, u.entry.key.id),
          ConsistentRead: true,
        }),
      );
      return Item !== undefined;
    },
    async markSwept(u: Unfinished, detailType: string, now: Date): Promise<void> {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...sweptKey(u.entry.key.pipeline, u.owner, u.entry.key.id),
            detailType: { S: detailType },
            sweptAt: { S: now.toISOString() },
            expiresAt: { N: String(expiresAt(now)) },
          },
        }),
      );
    },
  };
}

export type JournalSweep = ReturnType<typeof makeJournalSweep>;
