import * as z from 'zod';
import { arnText, awsTime } from './aws-shapes';

/**
 * The EventBridge envelope, parsed leniently: unknown fields pass, `version` and `account` may be missing
 * (old Scheduled Events lack `version`), and `detail` may arrive as a JSON string (EventBridge Scheduler).
 */
export function envelope<S extends string, T extends string, D extends z.ZodType>(
  source: S,
  detailType: T,
  detail: D,
) {
  return z.looseObject({
    id: z.string().min(1).max(128),
    source: z.literal(source),
    'detail-type': z.literal(detailType),
    time: awsTime,
    account: z.string().max(32).optional(),
    region: z.string().max(32).optional(),
    resources: z.array(arnText).max(100).default([]),
    detail: z.preprocess(parseJsonString, detail),
  });
}

function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `detail.version` was a string ("1") in old CodePipeline events and is a number (1, 3.0, 16.0) in new ones. */
export const lenientNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);

/** The part of an EventBridge event pattern the guard uses: exact values per field, suffixes of resources. */
export type EventPattern = {
  source: string[];
  'detail-type': string[];
  /** Resource ARNs, exact or `{ suffix }` (an ECS service ARN ends in its cluster and service). */
  resources?: (string | { suffix: string })[];
  detail?: Record<string, unknown>;
};
