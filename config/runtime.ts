import { createHash } from 'node:crypto';
import * as z from '../lib/zod';
import { ConfigError, parseGuardConfig, type GuardConfig } from './schema';

/** Where the deployment put the guard's own resources; serverless.yml sets these from CloudFormation. */
const deploymentEnv = z.object({
  GUARD_CONFIG: z.string().check(z.minLength(2)),
  /** The SHA-256 of GUARD_CONFIG as `sls package` validated and wrote it (config/serverless-vars.cjs). */
  GUARD_CONFIG_SHA256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  GUARD_BUS_NAME: z.string().check(z.minLength(1)),
  GUARD_BUS_ARN: z.string().check(z.startsWith('arn:')),
  LEDGER_TABLE: z.string().check(z.minLength(1)),
  SCHEDULE_GROUP: z.string().check(z.minLength(1)),
  SCHEDULER_ROLE_ARN: z.string().check(z.startsWith('arn:')),
  DEAD_LETTER_QUEUE_ARN: z.string().check(z.startsWith('arn:')),
  DASHBOARD_NAME: z.optional(z.string().check(z.minLength(1))),
});

export type Deployment = {
  busName: string;
  busArn: string;
  ledgerTable: string;
  scheduleGroup: string;
  schedulerRoleArn: string;
  /** Where the runtime schedules put a timer event they could not deliver (the guard's DLQ). */
  deadLetterQueueArn: string;
  /** The stage's release-safety dashboard (config/dashboard.cjs), which Slack messages link to. */
  dashboardName?: string;
};

export type Runtime = { config: GuardConfig; deployment: Deployment };

/** The only reader of the process environment; fails naming the bad key. */
export function loadRuntime(env: Record<string, string | undefined>): Runtime {
  const parsed = deploymentEnv.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid release-guard environment: ${issues.join('; ')}`, issues);
  }
  const e = parsed.data;
  let raw: unknown;
  try {
    raw = JSON.parse(e.GUARD_CONFIG);
  } catch (cause) {
    throw new ConfigError(`GUARD_CONFIG is not JSON: ${String(cause)}`, ['GUARD_CONFIG']);
  }
  // `sls package` validated this very text (its hash says so): parse it, do not build and run the schemas again at
  // every cold start (docs/performance.md). Anything else — edited after packaging, or no hash — is validated.
  const packaged = e.GUARD_CONFIG_SHA256 !== undefined && e.GUARD_CONFIG_SHA256 === sha256(e.GUARD_CONFIG);
  return {
    config: packaged ? (raw as GuardConfig) : parseGuardConfig(raw, 'configuration (GUARD_CONFIG)'),
    deployment: {
      busName: e.GUARD_BUS_NAME,
      busArn: e.GUARD_BUS_ARN,
      ledgerTable: e.LEDGER_TABLE,
      scheduleGroup: e.SCHEDULE_GROUP,
      schedulerRoleArn: e.SCHEDULER_ROLE_ARN,
      deadLetterQueueArn: e.DEAD_LETTER_QUEUE_ARN,
      ...(e.DASHBOARD_NAME ? { dashboardName: e.DASHBOARD_NAME } : {}),
    },
  };
}

/** The runtime of a deployed Lambda, read once at module load. */
export function runtimeFromProcessEnv(): Runtime {
  return loadRuntime(process.env);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
