import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { conditionalWrite, type DynamoSender } from './ledger';
import { partitionOf } from './partitions';

/**
 * Two kinds of "seen once" marks in the release ledger table, each with a TTL:
 * - the Slack endpoint's accepted signatures (`#slack-signatures`): a captured request replayed inside Slack's
 *   5-minute window is refused. The mark is the signature's SHA-256, never the signature itself.
 * - the command function's Slack actions (`#slack-actions`): a double click and Slack's retries act once.
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Longer than the signature window (5 min) and Slack's retries: a mark outlives every request it could match. */
export const SIGNATURE_MARK_SECONDS = 15 * 60;
/** A rendered button is live for as long as its message; a day covers a double click and every retry. */
export const ACTION_MARK_SECONDS = 24 * 60 * 60;

export function makeSignatureMarks(client: DynamoSender, tableName: string) {
  return {
    /** true: first time this signature is seen; false: a replay. */
    async firstUse(signature: string, nowSeconds: number): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pipeline: { S: partitionOf.slackSignatures() },
              executionId: { S: `sig#${sha256(signature)}` },
              expiresAt: { N: String(nowSeconds + SIGNATURE_MARK_SECONDS) },
            },
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
    },
  };
}

/** `resumed`: this delivery's own claim, left `acting` by an attempt that died or lost the claim's answer. */
export type ActionClaim = 'claimed' | 'resumed' | 'duplicate';

export function makeSlackActionClaims(client: DynamoSender, tableName: string) {
  const key = (actionKey: string) => ({
    pipeline: { S: partitionOf.slackActions() },
    executionId: { S: `action#${actionKey}` },
  });
  return {
    /**
     * The right to act on this Slack action: first claim wins. The claim names the event it was made for, so a
     * retry of that event (Lambda's, after a crash or the claim's lost answer) takes its own unfinished claim
     * back — a double click is another event and stays a duplicate, a finished action stays done.
     */
    async claim(actionKey: string, nowSeconds: number, eventId: string): Promise<ActionClaim> {
      const created = await conditionalWrite(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(actionKey),
              state: { S: 'acting' },
              eventId: { S: eventId },
              expiresAt: { N: String(nowSeconds + ACTION_MARK_SECONDS) },
            },
            ConditionExpression: 'attribute_not_exists(executionId)',
          }),
        ),
      );
      if (created) return 'claimed';
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(actionKey), ConsistentRead: true }),
      );
      return Item?.state?.S === 'acting' && Item.eventId?.S === eventId ? 'resumed' : 'duplicate';
    },
    async markDone(actionKey: string): Promise<void> {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(actionKey),
          UpdateExpression: 'SET #s = :done',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':done': { S: 'done' } },
        }),
      );
    },
    /** The command failed before it acted: the retry of the invocation may take the action again. */
    async release(actionKey: string): Promise<void> {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(actionKey) }));
    },
  };
}

export type SignatureMarks = ReturnType<typeof makeSignatureMarks>;
export type SlackActionClaims = ReturnType<typeof makeSlackActionClaims>;
