import * as z from '../lib/zod';
import { arnText, awsTime } from './aws-shapes';

/**
 * The EventBridge envelope, parsed leniently: unknown fields pass, `version` and `account` may be missing
 * (old Scheduled Events lack `version`), and `detail` may arrive as a JSON string (EventBridge Scheduler).
 */
export function envelope<S extends string, T extends string, D extends z.ZodMiniType>(
  source: S,
  detailType: T,
  detail: D,
) {
  return z.looseObject({
    id: z.string().check(z.minLength(1), z.maxLength(128)),
    source: z.literal(source),
    'detail-type': z.literal(detailType),
    time: awsTime,
    account: z.optional(z.string().check(z.maxLength(32))),
    region: z.optional(z.string().check(z.maxLength(32))),
    resources: z._default(z.array(arnText).check(z.maxLength(100)), []),
    detail: z.pipe(z.transform(parseJsonString), detail),
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
export const lenientNumber = /* @__PURE__ */ z.lazy(() =>
  z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+(\.\d+)?$/)), z.transform(Number))]),
);

/** The part of an EventBridge event pattern the guard uses: exact values per field, suffixes of resources. */
export type EventPattern = {
  source: string[];
  'detail-type': string[];
  /** Resource ARNs, exact or `{ suffix }` (an ECS service ARN ends in its cluster and service). */
  resources?: (string | { suffix: string })[];
  detail?: Record<string, unknown>;
};
