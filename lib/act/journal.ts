import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { expiresAt, type DynamoSender } from '../aws/ledger';
import { partitionOf, type JournalOwner } from '../aws/partitions';
import type { Announcement, EffectOutcome, Intent } from './intent';

/**
 * Names one decision, the same on every retry and duplicate of the event that made it. `id` starts with the
 * pipeline, so it is unique across pipelines: the notifier keys its one Slack message on it.
 */
export type DecisionKey = { pipeline: string; id: string };

export function decisionKeyOf(pipeline: string, ...parts: string[]): DecisionKey {
  return { pipeline, id: [pipeline, ...parts].join(' ') };
}

/** Longer than the timeout of any function that acts (30 s): a dead invocation's lease is over before its retry. */
export const LEASE_MS = 40_000;

/** pending: recorded, effects not all known; acted: every effect's outcome is stored; announced: on the bus. */
export type JournalState = 'pending' | 'acted' | 'announced';

export type JournalEntry = {
  key: DecisionKey;
  state: JournalState;
  intent: Intent;
  /** How many invocations have opened this intent, this one included. */
  attempt: number;
  createdAt: Date;
  leaseUntil?: Date;
  /** Once acted: the announcement to put on the bus, and each effect's outcome. */
  final?: Announcement;
  outcomes?: EffectOutcome[];
};

export type OpenResult = { kind: 'opened'; entry: JournalEntry } | { kind: 'announced' } | { kind: 'busy' };

/**
 * The decision journal, in the release ledger table: item (`journal#<owner>#<pipeline>`, `announce#<decision
 * key>`). An intent is recorded before its first write; each invocation that works on it takes a lease
 * (`leaseUntil`, an attempt number) so two invocations never run the same effects at once, and a dead one's lease
 * simply expires. The owner is the function (or the functions sharing decision keys) whose role alone may write
 * that partition, so no other function can plant an intent whose effects this one would resume.
 */
export function makeJournal(client: DynamoSender, tableName: string, leaseMs: number, owner: JournalOwner) {
  const itemKey = (key: DecisionKey): Record<string, AttributeValue> => ({
    pipeline: { S: partitionOf.journal(owner, key.pipeline) },
    executionId: { S: `announce#${key.id}` },
  });

  async function read(key: DecisionKey): Promise<JournalEntry | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: itemKey(key), ConsistentRead: true }),
    );
    // Only items that hold an announcement are the journal's (a legacy outbox item has at least its detail-type).
    return Item?.detailType?.S ? fromItem(key, Item) : undefined;
  }

  /** Takes over an unfinished intent: only if no live invocation holds it, and nobody else took it meanwhile. */
  async function takeOver(entry: JournalEntry, now: Date): Promise<OpenResult> {
    if (entry.state === 'announced') return { kind: 'announced' };
    if (entry.leaseUntil && entry.leaseUntil > now) return { kind: 'busy' };
    const attempt = entry.attempt + 1;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(entry.key),
          UpdateExpression: 'SET #attempt = :next, leaseUntil = :lease',
          ConditionExpression: '#attempt = :seen',
          ExpressionAttributeNames: { '#attempt': 'attempt' },
          ExpressionAttributeValues: {
            ':next': { N: String(attempt) },
            ':lease': { S: leaseUntil.toISOString() },
            ':seen': { N: String(entry.attempt) },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { kind: 'busy' };
      throw error;
    }
    return { kind: 'opened', entry: { ...entry, attempt, leaseUntil } };
  }

  return {
    /**
     * Records the intent, or finds the one recorded first under its key (a retry, a duplicate, or another trigger
     * of the same decision): that one is carried on, whatever this invocation would now decide.
     */
    async open(key: DecisionKey, intent: Intent, now: Date): Promise<OpenResult> {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const entry: JournalEntry = { key, state: 'pending', intent, attempt: 1, createdAt: now, leaseUntil };
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...toItem(entry), ...itemKey(key) },
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        );
        return { kind: 'opened', entry };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const existing = await read(key);
      if (!existing) return { kind: 'busy' };
      return takeOver(existing, now);
    },

    /** An unfinished intent under this key, taken over; nothing when there is none or it was announced. */
    async resume(key: DecisionKey, now: Date): Promise<OpenResult | undefined> {
      const existing = await read(key);
      if (!existing) return undefined;
      return takeOver(existing, now);
    },

    /** Every effect's outcome is known: stored with the announcement they make, before it goes on the bus. */
    async markActed(entry: JournalEntry, final: Announcement, outcomes: EffectOutcome[]): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(entry.key),
          UpdateExpression:
            'SET #state = :acted, finalType = :type, finalDetail = :detail, outcomes = :outcomes',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':acted': { S: 'acted' },
            ':type': { S: final.detailType },
            ':detail': { S: JSON.stringify(final.detail) },
            ':outcomes': { S: JSON.stringify(outcomes) },
          },
        }),
      );
    },

    async markAnnounced(entry: JournalEntry, now: Date): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(entry.key),
          UpdateExpression: 'SET #state = :announced, announcedAt = :at, leaseUntil = :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':announced': { S: 'announced' }, ':at': { S: now.toISOString() } },
        }),
      );
    },

    /**
     * Closes a pending intent that a later decision replaced, without announcing it: its caller knows none of its
     * effects took effect (for the gate: the approval still waits, so an earlier answer never landed). Only when
     * no invocation holds it; `false` when it was not pending, or someone took it meanwhile.
     */
    async withdraw(key: DecisionKey, replacedBy: DecisionKey, now: Date): Promise<boolean> {
      const entry = await read(key);
      if (!entry || entry.state !== 'pending') return false;
      if (entry.leaseUntil && entry.leaseUntil > now) return false;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(key),
            UpdateExpression: 'SET #state = :announced, announcedAt = :at, withdrawnFor = :by',
            ConditionExpression: '#attempt = :seen AND #state = :pending',
            ExpressionAttributeNames: { '#attempt': 'attempt', '#state': 'state' },
            ExpressionAttributeValues: {
              ':announced': { S: 'announced' },
              ':pending': { S: 'pending' },
              ':at': { S: now.toISOString() },
              ':by': { S: replacedBy.id },
              ':seen': { N: String(entry.attempt) },
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /**
     * Removes an intent this invocation recorded and then decided against before any of its effects was tried
     * (the alarm gate records its block while it reads whether one is due): the key is free again, for this
     * event's retry and for the reconciler, which shares the alarm gate's keys. Only the holder's own attempt, still
     * pending; `false` when someone took it meanwhile.
     */
    async discard(entry: JournalEntry): Promise<boolean> {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: itemKey(entry.key),
            ConditionExpression: '#attempt = :mine AND #state = :pending',
            ExpressionAttributeNames: { '#attempt': 'attempt', '#state': 'state' },
            ExpressionAttributeValues: {
              ':mine': { N: String(entry.attempt) },
              ':pending': { S: 'pending' },
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** A failed invocation gives its lease back, so the next attempt need not wait for it to expire. */
    async release(entry: JournalEntry, now: Date): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(entry.key),
          UpdateExpression: 'SET leaseUntil = :at',
          ConditionExpression: '#attempt = :mine',
          ExpressionAttributeNames: { '#attempt': 'attempt' },
          ExpressionAttributeValues: {
            ':at': { S: now.toISOString() },
            ':mine': { N: String(entry.attempt) },
          },
        }),
      );
    },
  };
}

export type Journal = ReturnType<typeof makeJournal>;

/** The entry's attributes; its key is the journal's (`itemKey`). */
function toItem(entry: JournalEntry): Record<string, AttributeValue> {
  const { intent } = entry;
  return {
    state: { S: entry.state },
    detailType: { S: intent.primary.detailType },
    detail: { S: JSON.stringify(intent.primary.detail) },
    ...(intent.fallback
      ? {
          fallbackType: { S: intent.fallback.detailType },
          fallbackDetail: { S: JSON.stringify(intent.fallback.detail) },
        }
      : {}),
    effects: { S: JSON.stringify(intent.effects) },
    attempt: { N: String(entry.attempt) },
    createdAt: { S: entry.createdAt.toISOString() },
    ...(entry.leaseUntil ? { leaseUntil: { S: entry.leaseUntil.toISOString() } } : {}),
    expiresAt: { N: String(expiresAt(entry.createdAt)) },
  };
}

export function fromItem(key: DecisionKey, item: Record<string, AttributeValue>): JournalEntry {
  const s = (name: string) => item[name]?.S;
  const json = <T>(name: string, fallback: T): T => {
    const text = s(name);
    return text ? (JSON.parse(text) as T) : fallback;
  };
  // Items the outbox wrote before the journal existed: staged after their write, `announced: yes` once sent.
  const legacy = s('state') === undefined;
  const state: JournalState = legacy
    ? s('announced') === 'yes'
      ? 'announced'
      : 'acted'
    : (s('state') as JournalState);
  const primary = { detailType: s('detailType') ?? '', detail: json<Record<string, unknown>>('detail', {}) };
  const finalType = s('finalType');
  return {
    key,
    state,
    intent: {
      primary,
      fallback: s('fallbackType')
        ? { detailType: s('fallbackType')!, detail: json<Record<string, unknown>>('fallbackDetail', {}) }
        : undefined,
      effects: json('effects', []),
    },
    attempt: Number(item.attempt?.N ?? '1'),
    createdAt: new Date(s('createdAt') ?? 0),
    leaseUntil: s('leaseUntil') ? new Date(s('leaseUntil')!) : undefined,
    final: finalType
      ? { detailType: finalType, detail: json<Record<string, unknown>>('finalDetail', {}) }
      : legacy
        ? primary
        : undefined,
    outcomes: json<EffectOutcome[] | undefined>('outcomes', undefined),
  };
}
