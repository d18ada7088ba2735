import * as z from '../../lib/zod';
import { envelope } from '../envelope';

export const SCHEDULED_EVENT_SOURCE = 'aws.events';
export const SCHEDULED_EVENT = 'Scheduled Event';

/** What an EventBridge schedule rule (`rate(5 minutes)`) delivers: the envelope, an empty detail. */
export const scheduledEvent = /* @__PURE__ */ z.lazy(() =>
  envelope(SCHEDULED_EVENT_SOURCE, SCHEDULED_EVENT, z.looseObject({})),
);
export type ScheduledEvent = z.infer<typeof scheduledEvent>;
