import { createHash } from 'node:crypto';
import { wellFormed } from '../events/aws-shapes';

/** Well under DynamoDB's 1,024-byte sort key, leaving room for the record kind's prefix. */
export const MAX_KEY_PART_BYTES = 400;

/**
 * A key part built from text the guard did not choose (an event id, a decision key): as it is when short, else
 * its readable start and the SHA-256 of the whole, so two long texts never share a key and none passes the limit.
 */
export function boundedKeyPart(text: string, maxBytes = MAX_KEY_PART_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes && wellFormed(text) === text) return text;
  const digest = createHash('sha256').update(text, 'utf8').digest('hex');
  return `${wellFormed(text.slice(0, 64))}#sha256:${digest}`;
}
