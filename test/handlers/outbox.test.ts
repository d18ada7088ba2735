import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bakeStarted } from '../../events/guard/bake-started';
import { makeGuardBus, type EventBridgeSender } from '../../lib/aws/guard-bus';
import { decisionKeyOf, makeOutbox } from '../../lib/aws/outbox';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';

let dynamo: DynamoDBClient;
let table: string;

beforeAll(async () => {
  dynamo = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
  table = `outbox-test-${randomUUID()}`;
  await createLedgerTable(dynamo, table);
});

afterAll(() => dynamo.destroy());

/** An EventBridge that records each PutEvents and fails the first `failures` of them. */
function eventBridge(failures: number) {
  const sent: { detailType?: string; detail: unknown }[] = [];
  let left = failures;
  const client: EventBridgeSender = {
    send: (async (command: PutEventsCommand) => {
      const entry = command.input.Entries?.[0];
      sent.push({ detailType: entry?.DetailType, detail: JSON.parse(entry?.Detail ?? 'null') });
      if (left-- > 0) return { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] };
      return { FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] };
    }) as unknown as EventBridgeSender['send'],
  };
  return { sent, bus: makeGuardBus(client, 'leadout-release-guard-test') };
}

const detail = (executionId: string, bakeMinutes = 60) => ({
  pipeline: 'leadout',
  executionId,
  mode: 'enforce' as const,
  devSucceededAt: '2026-05-12T09:14:27.000Z',
  bakeMinutes,
  bakeEndsAt: '2026-05-12T10:14:28.000Z',
  timerName: `bake-df3c585a-${executionId}`,
});

describe('outbox on DynamoDB (moto)', () => {
  it('announces once; a failed PutEvents leaves the event staged, the flush sends the stored detail once', async () => {
    // Prepare
    const { sent, bus } = eventBridge(1);
    const outbox = makeOutbox('bake-start', dynamo, table, bus);
    const E = randomUUID();
    const key = decisionKeyOf('leadout', 'bake', E);

    // Act: the first attempt fails to emit; the retry recomputes something else, but only flushes.
    await expect(outbox.announce(key, bakeStarted, detail(E))).rejects.toThrow(/PutEvents rejected/);
    const flushed = await outbox.flush(key);
    const again = await outbox.flush(key);

    // Assess
    expect([flushed, again]).toEqual(['announced', 'nothing-due']);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[1]?.detail).toMatchObject({ decisionKey: `leadout bake ${E}`, bakeMinutes: 60 });
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: {
          pipeline: { S: 'journal#bake-start#leadout' },
          executionId: { S: `announce#leadout bake ${E}` },
        },
        ConsistentRead: true,
      }),
    );
    expect(Item?.state?.S).toBe('announced');
  });

  it('keeps the first staged detail: a second announce of the same decision sends what was stored', async () => {
    // Prepare
    const { sent, bus } = eventBridge(1);
    const outbox = makeOutbox('bake-start', dynamo, table, bus);
    const E = randomUUID();
    const key = decisionKeyOf('leadout', 'bake', E);
    await expect(outbox.announce(key, bakeStarted, detail(E, 60))).rejects.toThrow();

    // Act
    await outbox.announce(key, bakeStarted, detail(E, 45));
    await outbox.announce(key, bakeStarted, detail(E, 45));

    // Assess
    expect(sent.map((s) => (s.detail as { bakeMinutes: number }).bakeMinutes)).toEqual([60, 60]);
  });

  it('flushes nothing for a decision never staged', async () => {
    const { sent, bus } = eventBridge(0);
    await expect(
      makeOutbox('bake-start', dynamo, table, bus).flush(decisionKeyOf('leadout', 'bake', randomUUID())),
    ).resolves.toBe('nothing-due');
    expect(sent).toHaveLength(0);
  });
});

describe('outbox staging', () => {
  it('a throttled intent write is thrown before anything is sent (Lambda retries); the retry announces once', async () => {
    // Prepare: moto's table behind a client whose first PutItem is throttled.
    const { sent, bus } = eventBridge(0);
    let throttled = 0;
    const flaky = {
      send: ((command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'PutItemCommand' && throttled++ === 0) {
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
        }
        return dynamo.send(command as never);
      }) as unknown as DynamoDBClient['send'],
    };
    const execution = randomUUID();
    const key = decisionKeyOf('leadout', 'bake', execution);
    const outbox = makeOutbox('bake-start', flaky, table, bus);

    // Act
    await expect(outbox.announce(key, bakeStarted, detail(execution))).rejects.toThrow(/Rate exceeded/);
    expect(sent).toHaveLength(0);
    await outbox.announce(key, bakeStarted, detail(execution));

    // Assess
    expect(throttled).toBe(2);
    expect(sent).toEqual([
      { detailType: 'BakeStarted', detail: expect.objectContaining({ executionId: execution }) },
    ]);
  });
});
