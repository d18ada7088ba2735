import { GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { boundedKeyPart } from '../bounded-key';
import type { HistoryEntry } from '../history/history-entry';
import { conditionalWrite, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

const DAY_S = 86_400;
/** A page of the answer: enough for months of releases; `truncated` says when there was more. */
export const HISTORY_MAX_ENTRIES = 2000;

/**
 * The decision history in the release ledger table: partition `history#<pipeline>`, sort key `<time>#<key>`, so a
 * period is one Query, newest first. A copy of a decision (an outbox re-announcement, a redelivery) may arrive with
 * another time, so the first time a key is seen is claimed under `historykey#<pipeline>` first and every copy writes
 * the same item: a copy never adds a line, and a retry after a crash between the two writes completes the item.
 * Both expire after `historyDays` (TTL on `expiresAt`). Powertools' idempotency utility does not fit: it keys on
 * the event (a copy is a new event) and would keep its own records with their own expiry.
 */
export function makeHistory(client: DynamoSender, tableName: string) {
  return {
    async record(entry: HistoryEntry, historyDays: number): Promise<'recorded' | 'copy'> {
      const keyPart = boundedKeyPart(entry.decisionKey);
      const expiresAt = (at: string) => String(Math.floor(Date.parse(at) / 1000) + historyDays * DAY_S);
      const claimKey = {
        pipeline: { S: partitionOf.historyKey(entry.pipeline) },
        executionId: { S: keyPart },
      };
      const claimed = await conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...claimKey, at: { S: entry.at }, expiresAt: { N: expiresAt(entry.at) } },
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
      const at = claimed
        ? entry.at
        : ((
            await client.send(
              new GetItemCommand({ TableName: tableName, Key: claimKey, ConsistentRead: true }),
            )
          ).Item?.at?.S ?? entry.at);
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pipeline: { S: partitionOf.history(entry.pipeline) },
            executionId: { S: `${at}#${keyPart}` },
            entry: { S: JSON.stringify({ ...entry, at }) },
            expiresAt: { N: expiresAt(at) },
          },
        }),
      );
      return claimed ? 'recorded' : 'copy';
    },

    /** When the history first saw a decision key (undefined: never). */
    async firstSeen(pipeline: string, decisionKey: string): Promise<string | undefined> {
      const out = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: {
            pipeline: { S: partitionOf.historyKey(pipeline) },
            executionId: { S: boundedKeyPart(decisionKey) },
          },
        }),
      );
      return out.Item?.at?.S;
    },

    /** The newest `limit` entries of one pipeline (one Query page), for `status`. */
    async latest(pipeline: string, limit: number): Promise<HistoryEntry[]> {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pipeline = :p',
          ExpressionAttributeValues: { ':p': { S: partitionOf.history(pipeline) } },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (page.Items ?? []).flatMap((item) =>
        item.entry?.S ? [JSON.parse(item.entry.S) as HistoryEntry] : [],
      );
    },

    /** The entries of one pipeline since `since`, newest first (at most HISTORY_MAX_ENTRIES). */
    async list(pipeline: string, since: Date): Promise<{ entries: HistoryEntry[]; truncated: boolean }> {
      const entries: HistoryEntry[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pipeline = :p AND executionId >= :since',
            ExpressionAttributeValues: {
              ':p': { S: partitionOf.history(pipeline) },
              ':since': { S: since.toISOString() },
            },
            ScanIndexForward: false,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.entry?.S) entries.push(JSON.parse(item.entry.S) as HistoryEntry);
        }
        start = page.LastEvaluatedKey;
      } while (start && entries.length < HISTORY_MAX_ENTRIES);
      return {
        entries: entries.slice(0, HISTORY_MAX_ENTRIES),
        truncated: !!start || entries.length > HISTORY_MAX_ENTRIES,
      };
    },
  };
}

export type History = ReturnType<typeof makeHistory>;
