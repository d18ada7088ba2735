import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';
import { tileServiceRef } from './tile-restart-started';

export const tileRestartCompleted = /* @__PURE__ */ guardContract('TileRestartCompleted', () =>
  z.object({
    ...releaseRef(),
    ...tileServiceRef(),
    mode: modeField,
    deploymentId: z.string(),
    durationSeconds: z.number().check(z.gte(0)),
  }),
);
export type TileRestartCompleted = z.infer<typeof tileRestartCompleted.detail>;
