import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { HoldFact } from '../../events/guard/person-command';
import { conditionalWrite, expiresAt, fromItem, toItem, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/** A hold as recorded: ended holds stay (who ended it, when) until the table's TTL removes them. */
export type HoldRecord = HoldFact & { endedAt?: string; endedBy?: string };

/** A hold stands from `since` until it is ended or its `until` passes. */
export function standingHolds(holds: readonly HoldRecord[], now: Date): HoldFact[] {
  return holds
    .filter((h) => !h.endedAt && (!h.until || new Date(h.until) > now))
    .map(({ holdId, by, reason, since, until }) => ({
      holdId,
      by,
      reason,
      since,
      ...(until ? { until } : {}),
    }));
}

/**
 * The holds of each pipeline, one item per hold in the partition `hold#<pipeline>` (sort key: the hold id). The
 * command function writes them (infra/command.yml); the promote function only reads them.
 */
export function makeHolds(client: DynamoSender, tableName: string) {
  return {
    async list(pipeline: string): Promise<HoldRecord[]> {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': 'pipeline' },
          ExpressionAttributeValues: { ':p': { S: partitionOf.hold(pipeline) } },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((item) => {
        const { executionId, by, reason, since, until, endedAt, endedBy } = fromItem(item);
        return { holdId: String(executionId), by, reason, since, until, endedAt, endedBy } as HoldRecord;
      });
    },

    /** Places a hold; the same id twice (a retried request) is one hold. */
    async place(pipeline: string, hold: HoldFact): Promise<'placed' | 'exists'> {
      const written = await conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({
              pipeline: partitionOf.hold(pipeline),
              executionId: hold.holdId,
              by: hold.by,
              reason: hold.reason,
              since: hold.since,
              ...(hold.until ? { until: hold.until } : {}),
              expiresAt: expiresAt(new Date(hold.until ?? hold.since)),
            }),
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
      return written ? 'placed' : 'exists';
    },

    /** Ends a standing hold: false when it had already ended (by a person, or its own timer). */
    async end(pipeline: string, holdId: string, by: string, at: Date): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pipeline: { S: partitionOf.hold(pipeline) }, executionId: { S: holdId } },
            UpdateExpression: 'SET endedAt = :at, endedBy = :by',
            ConditionExpression: 'attribute_exists(executionId) AND attribute_not_exists(endedAt)',
            ExpressionAttributeValues: { ':at': { S: at.toISOString() }, ':by': { S: by } },
          }),
        ),
      );
    },
  };
}

export type Holds = ReturnType<typeof makeHolds>;

/** A person's break glass for one execution: who, why, when, and whether despite a firing Dev alarm. */
export type OverrideRecord = {
  pipeline: string;
  executionId: string;
  by: string;
  reason: string;
  at: string;
  despiteAlarm: boolean;
};

/**
 * promote-now records, in `override#<pipeline>` (sort key: the execution id): written by the command function
 * only (infra/command.yml), read by promote, which approves an unbaked execution on nothing else (invariant 1).
 */
export function makeOverrides(client: DynamoSender, tableName: string) {
  return {
    /**
     * The person's latest word for the execution stands (a second promote-now may add despiteAlarm): a plain
     * PutItem, so a retried effect writes the same item again, which changes nothing.
     */
    async record(o: OverrideRecord): Promise<'recorded'> {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            pipeline: partitionOf.override(o.pipeline),
            executionId: o.executionId,
            by: o.by,
            reason: o.reason,
            at: o.at,
            despiteAlarm: o.despiteAlarm ? 'yes' : 'no',
            expiresAt: expiresAt(new Date(o.at)),
          }),
        }),
      );
      return 'recorded';
    },

    async get(pipeline: string, executionId: string): Promise<OverrideRecord | undefined> {
      const out = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pipeline: { S: partitionOf.override(pipeline) }, executionId: { S: executionId } },
          ConsistentRead: true,
        }),
      );
      if (!out.Item) return undefined;
      const r = fromItem(out.Item);
      return {
        pipeline,
        executionId,
        by: String(r.by),
        reason: String(r.reason),
        at: String(r.at),
        despiteAlarm: r.despiteAlarm === 'yes',
      };
    },
  };
}

export type Overrides = ReturnType<typeof makeOverrides>;
