import * as z from '../../lib/zod';
import { guardContract, modeField, releaseRef } from './guard-event';

export const tileServiceRef = () => ({
  cluster: z.string().check(z.minLength(1)),
  service: z.string().check(z.minLength(1)),
  /** The service's deployment controller as DescribeServices says it: ECS, CODE_DEPLOY, EXTERNAL (or newer). */
  controller: z.optional(z.string().check(z.minLength(1))),
});

/** Prod succeeded for an execution: one tile-server service is being restarted to reload the schema. */
export const tileRestartStarted = /* @__PURE__ */ guardContract('TileRestartStarted', () =>
  z.object({
    ...releaseRef(),
    ...tileServiceRef(),
    mode: modeField,
    /** The ECS service deployment id (ecs-svc/…) or the CodeDeploy deployment id (d-…); absent in observe mode. */
    deploymentId: z.optional(z.string()),
    startedAt: z.iso.datetime(),
    /** When the guard reports the restart as timed out if it has not finished. */
    deadline: z.iso.datetime(),
  }),
);
export type TileRestartStarted = z.infer<typeof tileRestartStarted.detail>;
