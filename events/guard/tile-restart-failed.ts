import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';
import { tileServiceRef } from './tile-restart-started';

export const tileRestartFailed = /* @__PURE__ */ guardContract('TileRestartFailed', () =>
  z.object({
    ...releaseRef(),
    ...tileServiceRef(),
    mode: modeField,
    deploymentId: z.optional(z.string()),
    reason: z.enum([
      'deployment-failed',
      'rolled-back',
      'timed-out',
      'unsupported-controller',
      'start-failed',
    ]),
    /** What ECS / CodeDeploy said, or what the guard could not do. */
    detail: z.string(),
  }),
);
export type TileRestartFailed = z.infer<typeof tileRestartFailed.detail>;
