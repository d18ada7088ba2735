import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeLedger } from '../../lib/aws/ledger';
import { makeRollbackLedger } from '../../lib/aws/rollback-ledger';
import { ledgerTable, type LedgerTable } from '../handlers/table';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'leadout-release-guard-test-ledger';
const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const client = new DynamoDBClient({ region: 'eu-west-1' });
let table: LedgerTable;

beforeEach(() => {
  dynamo.reset();
  table = ledgerTable(dynamo);
});

const release = { pipeline: 'leadout', executionId: E, devSucceededAt: '2026-05-12T09:14:27.000Z' };

describe('release and restore records in their kind partitions, legacy records still read', () => {
  it('writes a release under release#<pipeline> and reads it back with its pipeline', async () => {
    const ledger = makeLedger(client, TABLE);

    await ledger.recordRelease({ ...release, bakeEndsAt: '2026-05-12T10:14:28.000Z' });

    expect(table.item('release#leadout', E)).toBeDefined();
    expect(table.item('leadout', E)).toBeUndefined();
    await expect(ledger.getRelease('leadout', E)).resolves.toMatchObject({
      pipeline: 'leadout',
      executionId: E,
    });
  });

  it('reads a release record written before kind partitions (the pipeline partition)', async () => {
    table.put({
      pipeline: { S: 'leadout' },
      executionId: { S: E },
      devSucceededAt: { S: release.devSucceededAt },
      bakeEndsAt: { S: '2026-05-12T10:14:28.000Z' },
    });

    await expect(makeLedger(client, TABLE).getRelease('leadout', E)).resolves.toMatchObject({
      pipeline: 'leadout',
      bakeEndsAt: '2026-05-12T10:14:28.000Z',
    });
  });

  it('prefers the new partition over a legacy record of the same execution', async () => {
    table.put({ pipeline: { S: 'leadout' }, executionId: { S: E }, bakeEndsAt: { S: 'legacy' } });
    table.put({ pipeline: { S: 'release#leadout' }, executionId: { S: E }, bakeEndsAt: { S: 'new' } });

    await expect(makeLedger(client, TABLE).getRelease('leadout', E)).resolves.toMatchObject({
      bakeEndsAt: 'new',
    });
  });

  it('writes a restore under restore#<pipeline>, and reads a legacy one from the pipeline partition', async () => {
    const restores = makeRollbackLedger(client, TABLE);
    const record = {
      pipeline: 'leadout',
      failedExecutionId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
      targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
      path: 'rollback-stage' as const,
      failedStage: 'Prod',
    };
    const legacy = 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f';
    table.put({
      pipeline: { S: 'leadout' },
      executionId: { S: `restore#${legacy}` },
      failedExecutionId: { S: record.failedExecutionId },
      targetExecutionId: { S: record.targetExecutionId },
      path: { S: 'restart' },
    });

    await restores.recordRestore({ ...record, restoreExecutionId: E }, new Date('2026-05-12T10:00:00Z'));

    expect(table.item('restore#leadout', `restore#${E}`)).toBeDefined();
    await expect(restores.getRestore('leadout', E)).resolves.toMatchObject({ failedStage: 'Prod' });
    await expect(restores.getRestore('leadout', legacy)).resolves.toMatchObject({
      restoreExecutionId: legacy,
      path: 'restart',
      failedStage: undefined,
    });
    await expect(restores.getRestore('leadout', record.failedExecutionId)).resolves.toBeUndefined();
  });
});
