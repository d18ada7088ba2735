import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { conditionalWrite, expiresAt, fromItem, toItem, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/** One restart: execution E of a pipeline, one tile service. */
export type TileRestartRef = { pipeline: string; executionId: string; cluster: string; service: string };

/** What the guard remembers about a restart it started, found again by its deployment id. */
export type TileRestartRecord = TileRestartRef & {
  controller: string;
  deploymentId: string;
  startedAt: string;
  deadline: string;
  commitId?: string;
  commitMessage?: string;
};

/**
 * Follow-up events name a deployment, not an execution, so each started restart also gets an item keyed by
 * its deployment id. `#` cannot occur in a pipeline name, so this partition never meets a real pipeline.
 */
const DEPLOYMENTS = partitionOf.tileDeployments();

/** The restart's sort key in its pipeline's `tile#<pipeline>` partition. */
export function tileRestartKey(ref: TileRestartRef): string {
  return `tile#${ref.executionId}#${ref.cluster}#${ref.service}`;
}

/** Tile restarts in the release ledger table: one claim per (execution, service), one item per deployment. */
export function makeTileLedger(client: DynamoSender, tableName: string) {
  const claimKey = (ref: TileRestartRef) =>
    toItem({ pipeline: partitionOf.tileRestart(ref.pipeline), executionId: tileRestartKey(ref) });
  const deploymentKey = (deploymentId: string) =>
    toItem({ pipeline: DEPLOYMENTS, executionId: deploymentId });
  return {
    /** Records the deployment on the claim, and under its id for the follow-up events. */
    async recordStarted(record: TileRestartRecord): Promise<void> {
      const { pipeline, executionId, ...facts } = record;
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({
            ...facts,
            pipeline: DEPLOYMENTS,
            executionId: record.deploymentId,
            restartPipeline: pipeline,
            restartOf: executionId,
            expiresAt: expiresAt(new Date(record.startedAt)),
          }),
        }),
      );
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: claimKey(record),
          UpdateExpression: 'SET deploymentId = :d, controller = :c, startedAt = :s',
          ExpressionAttributeValues: toItem({
            ':d': record.deploymentId,
            ':c': record.controller,
            ':s': record.startedAt,
          }),
        }),
      );
    },

    /**
     * tile-follow, on TileRestartStarted: the deployment's item, written from the announcement when tile-restart
     * could not write it (its record-deployment effect failed for good) — else no follow-up event, timer or
     * reconciler run could find the restart and its end would never be reported. Never overwrites an item.
     */
    async ensureRecorded(record: TileRestartRecord): Promise<boolean> {
      const { pipeline, executionId, ...facts } = record;
      const fields: Record<string, string | number | undefined> = {
        ...facts,
        restartPipeline: pipeline,
        restartOf: executionId,
        expiresAt: expiresAt(new Date(record.startedAt)),
      };
      const names = Object.keys(fields).filter((k) => fields[k] !== undefined);
      return conditionalWrite(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: deploymentKey(record.deploymentId),
            UpdateExpression: `SET ${names.map((n) => `${n} = :${n}`).join(', ')}`,
            ConditionExpression: 'attribute_not_exists(startedAt)',
            ExpressionAttributeValues: toItem(Object.fromEntries(names.map((n) => [`:${n}`, fields[n]]))),
          }),
        ),
      );
    },

    async findByDeployment(deploymentId: string): Promise<TileRestartRecord | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: deploymentKey(deploymentId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { restartPipeline, restartOf, ...facts } = fromItem(Item);
      return { ...facts, pipeline: restartPipeline, executionId: restartOf } as TileRestartRecord;
    },

    /**
     * Restarts still without an outcome whose deadline passed before `overdueBefore`: their timeout timer was lost
     * (or never set). One page of 100 per run is plenty: a restart gets its outcome within its deadline.
     */
    async overdueRestarts(overdueBefore: Date): Promise<TileRestartRecord[]> {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pipeline = :p',
          FilterExpression: 'attribute_not_exists(outcome)',
          ExpressionAttributeValues: { ':p': { S: DEPLOYMENTS } },
          ConsistentRead: true,
          Limit: 100,
        }),
      );
      return Items.map((item) => {
        const { restartPipeline, restartOf, ...facts } = fromItem(item);
        return { ...facts, pipeline: restartPipeline, executionId: restartOf } as TileRestartRecord;
      }).filter((r) => r.deadline && new Date(r.deadline) < overdueBefore);
    },

    /** Exactly one outcome per restart: completion, failure and the timeout race for this write. */
    async claimOutcome(deploymentId: string, outcome: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: deploymentKey(deploymentId),
            UpdateExpression: 'SET outcome = :o',
            ConditionExpression: 'attribute_exists(startedAt) AND attribute_not_exists(outcome)',
            ExpressionAttributeValues: toItem({ ':o': outcome }),
          }),
        ),
      );
    },
  };
}

export type TileLedger = ReturnType<typeof makeTileLedger>;
