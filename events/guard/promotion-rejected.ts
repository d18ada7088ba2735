import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';

/**
 * How every rejection summary the guard puts on an approval begins; the rollback reaction recognises the
 * guard's own gate rejections by it (a rejected approval fails the Prod stage).
 */
export const GUARD_REJECTION_PREFIX = 'Rejected by release-guard';

export const promotionRejected = /* @__PURE__ */ guardContract('PromotionRejected', () =>
  z.object({
    ...releaseRef(),
    mode: modeField,
    /** `dev-restore`: the guard's restart after a Dev failure reached the Prod gate (it restored Dev only). */
    reason: z.enum(['superseded', 'alarm', 'dev-restore']),
    supersededBy: z.optional(z.string()),
    alarms: z._default(
      z.array(z.object({ name: z.string(), state: z.string(), since: z.optional(z.string()) })),
      [],
    ),
    summary: z.string(),
  }),
);
export type PromotionRejected = z.infer<typeof promotionRejected.detail>;
