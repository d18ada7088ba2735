import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { conditionalWrite, expiresAt, readWithLegacyFallback, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/** What the guard recorded when it started a restore: the execution R it started, for which failure, to what. */
export type RestoreRecord = {
  pipeline: string;
  restoreExecutionId: string;
  failedExecutionId: string;
  targetExecutionId: string;
  targetCommitId?: string;
  path: 'rollback-stage' | 'restart';
  /** The deploying stage whose failure it restores; absent only in records written before it was kept. */
  failedStage?: string;
};

/**
 * Invariant 1's exception: only a restore of a Prod failure passes the Prod gate unbaked and unblocked by Dev
 * alarms. A restore of a Dev failure restored Dev only; Prod still runs a release that passed the gate. A
 * record that does not say which stage failed gets no exception (fail closed).
 */
export function restoresProd(record: RestoreRecord | undefined, prodStage: string): boolean {
  return record?.failedStage === prodStage;
}

/**
 * The rollback's records in the release ledger table, each kind in its own partition (lib/aws/partitions.ts):
 * `rollback#<pipeline>` / `rollback#<failed>` claims the one report per failed deployment, `restore#<pipeline>` /
 * `restore#<R>` marks an execution the guard started as a restore, so its own failure is never rolled back and
 * the gate knows it. Only the rollback function may write `restore#…` (infra/rollback.yml).
 */
export function makeRollbackLedger(client: DynamoSender, tableName: string) {
  const putOnce = (item: Record<string, AttributeValue>): Promise<boolean> =>
    conditionalWrite(() =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(executionId)',
        }),
      ),
    );
  const read = readWithLegacyFallback(client, tableName);
  return {
    /** The first decision about a failed execution wins; a duplicate event gets `false` and stays silent. */
    async claimRollback(pipeline: string, failedExecutionId: string, decision: string, now: Date) {
      return putOnce({
        pipeline: { S: partitionOf.rollbackClaim(pipeline) },
        executionId: { S: `rollback#${failedExecutionId}` },
        decision: { S: decision },
        decidedAt: { S: now.toISOString() },
        expiresAt: { N: String(expiresAt(now)) },
      });
    },

    async recordRestore(record: RestoreRecord, now: Date): Promise<void> {
      await putOnce({
        pipeline: { S: partitionOf.restore(record.pipeline) },
        executionId: { S: `restore#${record.restoreExecutionId}` },
        failedExecutionId: { S: record.failedExecutionId },
        targetExecutionId: { S: record.targetExecutionId },
        ...(record.targetCommitId ? { targetCommitId: { S: record.targetCommitId } } : {}),
        path: { S: record.path },
        ...(record.failedStage ? { failedStage: { S: record.failedStage } } : {}),
        expiresAt: { N: String(expiresAt(now)) },
      });
    },

    async getRestore(pipeline: string, executionId: string): Promise<RestoreRecord | undefined> {
      const Item = await read(partitionOf.restore(pipeline), pipeline, `restore#${executionId}`);
      if (!Item?.failedExecutionId?.S || !Item.targetExecutionId?.S) return undefined;
      return {
        pipeline,
        restoreExecutionId: executionId,
        failedExecutionId: Item.failedExecutionId.S,
        targetExecutionId: Item.targetExecutionId.S,
        targetCommitId: Item.targetCommitId?.S,
        path: Item.path?.S === 'restart' ? 'restart' : 'rollback-stage',
        failedStage: Item.failedStage?.S,
      };
    },
  };
}

export type RollbackLedger = ReturnType<typeof makeRollbackLedger>;
