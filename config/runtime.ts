import { createHash } from 'node:crypto';
import { ConfigError, parseGuardConfig, type GuardConfig } from './schema';

/**
 * Where the deployment put the guard's own resources; serverless.yml sets these from CloudFormation. Checked by
 * hand, not with zod: every cold start reads them, and building a schema for nine strings cost ~3 ms of an import
 * of ~60 (docs/performance.md "Cold import"). Each rule says what is wrong with a value, or nothing.
 */
const nonEmpty = (v: string) => (v.length >= 1 ? undefined : 'must not be empty');
const arn = (v: string) => (v.startsWith('arn:') ? undefined : 'must be an ARN (arn:…)');
const DEPLOYMENT_ENV = {
  GUARD_CONFIG: { optional: false, check: (v: string) => (v.length >= 2 ? undefined : 'must be JSON') },
  /** The SHA-256 of GUARD_CONFIG as `sls package` validated and wrote it (config/serverless-vars.cjs). */
  GUARD_CONFIG_SHA256: {
    optional: true,
    check: (v: string) => (/^[0-9a-f]{64}$/.test(v) ? undefined : 'must be a hex SHA-256'),
  },
  GUARD_BUS_NAME: { optional: false, check: nonEmpty },
  GUARD_BUS_ARN: { optional: false, check: arn },
  LEDGER_TABLE: { optional: false, check: nonEmpty },
  SCHEDULE_GROUP: { optional: false, check: nonEmpty },
  SCHEDULER_ROLE_ARN: { optional: false, check: arn },
  DEAD_LETTER_QUEUE_ARN: { optional: false, check: arn },
  DASHBOARD_NAME: { optional: true, check: nonEmpty },
} as const;
type Rules = typeof DEPLOYMENT_ENV;
type DeploymentEnv = { [K in keyof Rules as Rules[K]['optional'] extends true ? never : K]: string } & {
  [K in keyof Rules as Rules[K]['optional'] extends true ? K : never]?: string;
};

function readDeploymentEnv(env: Record<string, string | undefined>): DeploymentEnv {
  const issues: string[] = [];
  const read: Record<string, string> = {};
  for (const [key, rule] of Object.entries(DEPLOYMENT_ENV)) {
    const value = env[key];
    if (value === undefined) {
      if (!rule.optional) issues.push(`${key}: required`);
      continue;
    }
    const problem = rule.check(value);
    if (problem) issues.push(`${key}: ${problem}`);
    else read[key] = value;
  }
  if (issues.length > 0) {
    throw new ConfigError(`Invalid release-guard environment: ${issues.join('; ')}`, issues);
  }
  return read as DeploymentEnv;
}

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
  const e = readDeploymentEnv(env);
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
