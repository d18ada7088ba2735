/**
 * The release ledger table as DynamoDB answers it, behind the mocked DynamoDB client: items are kept per key,
 * a ConditionExpression is evaluated (attribute_exists / attribute_not_exists / equality, joined by AND) and a
 * failed one rejects with ConditionalCheckFailedException; UpdateItem applies its SET assignments. Enough for the
 * decision journal, the attempt counter and the ledgers' first-writer-wins claims — no more.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientResolvedConfig,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { partitionOf, type JournalOwner } from '../../lib/aws/partitions';
import { expect } from 'vitest';

type Item = Record<string, AttributeValue>;
type DynamoStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBClientResolvedConfig>;
type Operation = 'PutItem' | 'GetItem' | 'UpdateItem';
type Input = PutItemCommandInput | GetItemCommandInput | UpdateItemCommandInput;
/** Answers a call with an error instead of DynamoDB, or lets it through (undefined). */
type Fault = (operation: Operation, input: Input) => Error | undefined;

const keyOf = (key: Item | undefined) => `${key?.pipeline?.S ?? ''}|${key?.executionId?.S ?? ''}`;

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function holds(
  condition: string | undefined,
  item: Item | undefined,
  names: Record<string, string> = {},
  values: Item = {},
): boolean {
  if (!condition) return true;
  const name = (n: string) => names[n] ?? n;
  return condition.split(/\s+AND\s+/).every((clause) => {
    const exists = /^attribute_(not_)?exists\((.+)\)$/.exec(clause.trim());
    if (exists) {
      const present = item?.[name(exists[2]!)] !== undefined;
      return exists[1] ? !present : present;
    }
    const equal = /^(\S+)\s*=\s*(:\S+)$/.exec(clause.trim());
    if (!equal) throw new Error(`the fake table cannot evaluate ${clause}`);
    const actual = item?.[name(equal[1]!)];
    return actual !== undefined && JSON.stringify(actual) === JSON.stringify(values[equal[2]!]);
  });
}

/** Installs the table on the mocked client; `seed` items are there before the first call. */
export function ledgerTable(dynamo: DynamoStub, seed: Item[] = []) {
  const items = new Map<string, Item>(seed.map((item) => [keyOf(item), { ...item }]));
  const faults: Fault[] = [];
  const fault = (operation: Operation, input: Input) => {
    for (const f of faults) {
      const error = f(operation, input);
      if (error) throw error;
    }
  };

  dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    fault('PutItem', input);
    const key = keyOf(input.Item);
    const names = input.ExpressionAttributeNames;
    if (!holds(input.ConditionExpression, items.get(key), names, input.ExpressionAttributeValues)) {
      throw conditionFailed();
    }
    items.set(key, { ...input.Item });
    return {};
  });
  dynamo.on(GetItemCommand).callsFake((input: GetItemCommandInput) => {
    fault('GetItem', input);
    const item = items.get(keyOf(input.Key));
    return item ? { Item: { ...item } } : {};
  });
  dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
    fault('UpdateItem', input);
    const key = keyOf(input.Key);
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    const current = items.get(key);
    if (!holds(input.ConditionExpression, current, names, values)) throw conditionFailed();
    const next: Item = { ...(current ?? input.Key) };
    const set = /^SET\s+(.+)$/.exec(input.UpdateExpression ?? '');
    if (!set) throw new Error(`the fake table cannot apply ${input.UpdateExpression}`);
    for (const assignment of set[1]!.split(/\s*,\s*/)) {
      const [lhs, rhs] = assignment.split(/\s*=\s*/);
      next[names[lhs!] ?? lhs!] = values[rhs!]!;
    }
    items.set(key, next);
    return {};
  });

  return {
    /** The item under (pipeline, executionId), as a consistent read would return it. */
    item: (pipeline: string, executionId: string): Item | undefined =>
      items.get(`${pipeline}|${executionId}`),
    put: (item: Item) => items.set(keyOf(item), { ...item }),
    remove: (pipeline: string, executionId: string) => items.delete(`${pipeline}|${executionId}`),
    /** Every sort key in the table, in insertion order. */
    keys: () => [...items.values()].map((i) => `${i.pipeline?.S} ${i.executionId?.S}`),
    /** A fault injected before DynamoDB would answer: the fake table is unchanged by the failed call. */
    failWhen: (f: Fault) => faults.push(f),
  };
}

export type LedgerTable = ReturnType<typeof ledgerTable>;

export type JournalView = {
  state: string | undefined;
  attempt: number;
  leaseUntil: string | undefined;
  finalType: string | undefined;
  finalDetail: Record<string, unknown> | undefined;
  outcomes: { effect: string; call: string; outcome: string }[] | undefined;
};

/** The journal item of a decision (`announce#<key>` in its owner's partition), read back; fails when there is none. */
export function journalOf(
  table: LedgerTable,
  owner: JournalOwner,
  pipeline: string,
  keyId: string,
): JournalView {
  const item = table.item(partitionOf.journal(owner, pipeline), `announce#${keyId}`);
  expect(item, `journal item announce#${keyId}`).toBeDefined();
  const json = (name: string) => (item?.[name]?.S ? (JSON.parse(item[name].S) as never) : undefined);
  return {
    state: item?.state?.S,
    attempt: Number(item?.attempt?.N),
    leaseUntil: item?.leaseUntil?.S,
    finalType: item?.finalType?.S,
    finalDetail: json('finalDetail'),
    outcomes: json('outcomes'),
  };
}

/** The journal item as the journal writes it, for a decision recorded by an earlier invocation. */
export function journalItem(entry: {
  owner: JournalOwner;
  pipeline: string;
  keyId: string;
  state: 'pending' | 'acted' | 'announced';
  primary: { detailType: string; detail: Record<string, unknown> };
  fallback?: { detailType: string; detail: Record<string, unknown> };
  effects?: unknown[];
  attempt?: number;
  createdAt: Date;
  leaseUntil?: Date;
  final?: { detailType: string; detail: Record<string, unknown> };
  outcomes?: unknown[];
}): Item {
  return {
    pipeline: { S: partitionOf.journal(entry.owner, entry.pipeline) },
    executionId: { S: `announce#${entry.keyId}` },
    state: { S: entry.state },
    detailType: { S: entry.primary.detailType },
    detail: { S: JSON.stringify(entry.primary.detail) },
    ...(entry.fallback
      ? {
          fallbackType: { S: entry.fallback.detailType },
          fallbackDetail: { S: JSON.stringify(entry.fallback.detail) },
        }
      : {}),
    effects: { S: JSON.stringify(entry.effects ?? []) },
    attempt: { N: String(entry.attempt ?? 1) },
    createdAt: { S: entry.createdAt.toISOString() },
    ...(entry.leaseUntil ? { leaseUntil: { S: entry.leaseUntil.toISOString() } } : {}),
    expiresAt: { N: String(Math.floor(entry.createdAt.getTime() / 1000) + 30 * 86_400) },
    ...(entry.final
      ? { finalType: { S: entry.final.detailType }, finalDetail: { S: JSON.stringify(entry.final.detail) } }
      : {}),
    ...(entry.outcomes ? { outcomes: { S: JSON.stringify(entry.outcomes) } } : {}),
  };
}

/** A TimeoutError as the SDK raises it when the response never came: the request may have taken effect. */
export const lostResponse = () =>
  Object.assign(new Error('Connection timed out after 5000 ms'), {
    name: 'TimeoutError',
    $metadata: {},
  });

export const throttled = (name = 'ThrottlingException') =>
  Object.assign(new Error('Rate exceeded'), {
    name,
    $fault: 'client' as const,
    $metadata: { httpStatusCode: 400 },
  });
