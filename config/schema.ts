import * as z from '../lib/zod';
import { once } from '../lib/lazy';
import { freezeSchema } from './freeze-schema';
import { peopleSchema } from '../lib/command/authorize';
import { slackSchema } from '../lib/slack/slack-config';

/** Tile services of one cluster; `codeDeploy` holds the deployment group of each blue/green service by name. */
export type TileServices = {
  cluster: string;
  services: string[];
  codeDeploy?: Record<string, { application: string; deploymentGroup: string }>;
};

/** The default of `alarmReadConcurrency`. */
export const ALARM_READ_CONCURRENCY = 5;

/**
 * The configuration's schemas, built on first use (lib/lazy.ts): a Lambda whose GUARD_CONFIG is the one `sls package`
 * validated parses it without them (config/runtime.ts), and its cold start does not pay for building them.
 */
const schemas = /* @__PURE__ */ once(() => {
  /** Names CodePipeline accepts for pipelines, stages and actions. */
  const codePipelineName = z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(100),
      z.regex(/^[A-Za-z0-9.@\-_]+$/, 'letters, digits and . @ - _ only (CodePipeline naming)'),
    );

  const alarmSelector = z
    .strictObject({
      namePrefix: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
      // CloudWatch's tag limits (keys 1–128, values ≤ 256, at most 50 per alarm; GetResources takes ≤ 50 filters):
      // a selector outside them could never match an alarm, so it is refused here rather than read as "no alarm".
      tags: z.optional(
        z
          .record(
            z.string().check(z.minLength(1), z.maxLength(128, 'a tag key has at most 128 characters')),
            z.string().check(z.maxLength(256, 'a tag value has at most 256 characters')),
          )
          .check(
            z.refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags (an alarm has no more)'),
          ),
      ),
    })
    .check(
      z.refine(
        (s) => s.namePrefix !== undefined || (s.tags !== undefined && Object.keys(s.tags).length > 0),
        {
          message: 'select Dev alarms by namePrefix and/or tags',
        },
      ),
    );

  /** A CodeDeploy deployment group the pipeline deploys through: its failures are reported (rollback reaction). */
  const codeDeployGroup = z.strictObject({
    application: z.string().check(z.minLength(1), z.maxLength(100)),
    deploymentGroup: z.string().check(z.minLength(1), z.maxLength(100)),
  });

  /**
   * One tile service: its name, or `{ name, codeDeploy }` for a blue/green (CODE_DEPLOY) service, whose deployment
   * group is the only one the guard may deploy to for it (infra/tile-restart.yml is scoped to these groups).
   */
  const tileService = z.pipe(
    z.transform((value) => (typeof value === 'string' ? { name: value } : value)),
    z.strictObject({
      name: z.string().check(z.minLength(1), z.maxLength(255)),
      codeDeploy: z.optional(codeDeployGroup),
    }),
  );

  // `codeDeploy` by service name is the parsed form: accepted too, so that parsing a parsed configuration (the
  // GUARD_CONFIG `sls package` wrote, edited or not) gives it back unchanged.
  const tileServices = z.pipe(
    z
      .strictObject({
        cluster: z.string().check(z.minLength(1)),
        services: z.array(tileService).check(z.minLength(1)),
        codeDeploy: z.optional(z.record(z.string().check(z.minLength(1)), codeDeployGroup)),
      })
      .check(
        z.refine(
          (t) => Object.keys(t.codeDeploy ?? {}).every((name) => t.services.some((s) => s.name === name)),
          { message: 'codeDeploy names a service that is not in services', path: ['codeDeploy'] },
        ),
      ),
    z.transform(({ cluster, services, codeDeploy }): TileServices => {
      const groups = services.flatMap((s) => (s.codeDeploy ? [[s.name, s.codeDeploy] as const] : []));
      const byName = { ...codeDeploy, ...Object.fromEntries(groups) };
      return {
        cluster,
        services: services.map((s) => s.name),
        ...(Object.keys(byName).length > 0 ? { codeDeploy: byName } : {}),
      };
    }),
  );

  const pipeline = z.strictObject({
    name: codePipelineName,
    devStage: z._default(codePipelineName, 'Dev'),
    prodStage: z._default(codePipelineName, 'Prod'),
    gateAction: z._default(codePipelineName, 'BakeGate'),
    bakeMinutes: z.optional(z.int().check(z.gte(1), z.lte(7 * 24 * 60))),
    devAlarms: alarmSelector,
    tileServices: z._default(z.array(tileServices), []),
    codeDeployGroups: z._default(z.array(codeDeployGroup), []),
  });

  /** A 12-digit AWS account id. */
  const accountId = z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id'));
  /** AWS region names (us-east-1, eu-central-2, us-gov-west-1). */
  const region = z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'));
  /**
   * An IAM role ARN: `arn:<partition>:iam::<account>:role/<path/><name>` (IAM: name ≤ 64 of [\w+=,.@-], path ≤ 512).
   * The account is captured so that it can be compared with the environment's `accountId`.
   */
  const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
  const roleArn = z
    .string()
    .check(z.maxLength(2048), z.regex(ROLE_ARN, 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)'));

  /**
   * Dev or Prod in an account of its own: the guard reads (Dev: alarms) or restarts (Prod: tile services) there
   * through `roleArn`, assumed with `externalId`; alarm and ECS/CodeDeploy events reach it through the forwarder
   * stack of forwarder.yml. Absent: the guard's own account (a sandbox).
   */
  const otherAccount = z
    .strictObject({
      accountId,
      /** Where its alarms or services are; default: the guard's own region. */
      region: z.optional(region),
      roleArn,
      /** STS AssumeRole ExternalId (2–1224 of [\w+=,.@:/-]); the role's trust policy requires it. */
      externalId: z
        .string()
        .check(
          z.minLength(2),
          z.maxLength(1224),
          z.regex(/^[\w+=,.@:/-]+$/, 'letters, digits and + = , . @ : / - _ only (STS ExternalId)'),
        ),
    })
    .check(
      z.superRefine((env, ctx) => {
        const match = ROLE_ARN.exec(env.roleArn);
        if (match && match[1] !== env.accountId) {
          ctx.addIssue({
            code: 'custom',
            path: ['roleArn'],
            message: `the role is in account ${match[1]}, not in accountId ${env.accountId}`,
          });
        }
      }),
    );

  /** Where the guard itself runs (with the pipeline): the forwarder stacks target its bus and trust its roles. */
  const deploymentAccount = z.strictObject({ accountId, region });

  const environments = z
    .strictObject({
      deployment: z.optional(deploymentAccount),
      dev: z.optional(otherAccount),
      prod: z.optional(otherAccount),
    })
    .check(
      z.superRefine((envs, ctx) => {
        if ((envs.dev || envs.prod) && !envs.deployment) {
          ctx.addIssue({
            code: 'custom',
            path: ['deployment'],
            message:
              'name the account and region the guard is deployed in: the Dev/Prod stacks trust its roles',
          });
        }
        if (envs.dev && envs.prod && envs.dev.roleArn === envs.prod.roleArn) {
          ctx.addIssue({
            code: 'custom',
            path: ['prod', 'roleArn'],
            message:
              'Dev and Prod need roles of their own (each forwarder stack creates its role and trusts other functions)',
          });
        }
        for (const name of ['dev', 'prod'] as const) {
          const env = envs[name];
          if (env && envs.deployment && env.accountId === envs.deployment.accountId) {
            ctx.addIssue({
              code: 'custom',
              path: [name, 'accountId'],
              message: `${name} is the guard's own account: leave environments.${name} out (no role, no forwarding)`,
            });
          }
        }
      }),
    );

  const guardConfig = z.strictObject({
    mode: z._default(z.enum(['observe', 'enforce']), 'observe'),
    bakeMinutes: z._default(z.int().check(z.gte(1), z.lte(7 * 24 * 60)), 60),
    insufficientData: z._default(z.enum(['ignore', 'block']), 'ignore'),
    /** A tile restart with no outcome after this long is reported as timed out. */
    tileRestartTimeoutMinutes: z._default(z.int().check(z.gte(1), z.lte(24 * 60)), 30),
    /** How often the reconciler (and the bake timer sweep) converge each pipeline to the truth. */
    reconcileMinutes: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
    /**
     * CloudWatch reads (one alarm's history, one alarm's tags) and reconciled pipelines in flight at once: well
     * under CloudWatch's per-account rates for DescribeAlarmHistory and ListTagsForResource.
     */
    alarmReadConcurrency: z._default(z.int().check(z.gte(1), z.lte(10)), ALARM_READ_CONCURRENCY),
    /** How long the decision history keeps each decision (DynamoDB TTL; docs/visibility.md). */
    historyDays: z._default(z.int().check(z.gte(1), z.lte(10 * 366)), 400),
    slackWebhookParameter: z
      .string()
      .check(z.regex(/^\/[\w.\-/]+$/, 'an SSM parameter name starting with /')),
    /** Who hears when the guard itself is unwell (its alarms' SNS topic); more subscribers can be added to it. */
    alertEmail: z.optional(z.email()),
    /**
     * Who may run which command (README "Holding and overriding", lib/command/authorize.ts): IAM principals (a
     * user exactly, a role and its assumed-role sessions, `*` only at the end of a session name). Without it only
     * `status` (open to every IAM-verified caller).
     */
    people: z.optional(peopleSchema()),
    /** Slack controls: buttons and a slash command, signed by Slack, allowed users only (docs/slack-controls.md). */
    slack: z.optional(slackSchema()),
    /** Freeze windows and SSM Change Calendars: while any is closed the gate approves nothing (docs/freeze.md). */
    freeze: z.optional(freezeSchema()),
    /** Dev and Prod in accounts of their own (README "Dev and Prod in other accounts"); default: this account. */
    environments: z._default(environments, {}),
    pipelines: z.array(pipeline).check(
      z.minLength(1),
      z.refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, {
        message: 'pipeline names must be unique',
      }),
    ),
  });
  return { guardConfig, pipeline, codeDeployGroup, alarmSelector, otherAccount };
});
type Schemas = ReturnType<typeof schemas>;

/** The whole configuration's schema (`sls package`, the simulator, tests). */
export const guardConfigSchema = () => schemas().guardConfig;

export type GuardConfig = z.infer<Schemas['guardConfig']>;
export type GuardedPipeline = z.infer<Schemas['pipeline']>;
export type CodeDeployGroup = z.infer<Schemas['codeDeployGroup']>;
export type AlarmSelector = z.infer<Schemas['alarmSelector']>;
export type Mode = GuardConfig['mode'];
/** Dev or Prod in another account: where, and the role the guard assumes there. */
export type OtherAccount = z.infer<Schemas['otherAccount']>;
export type EnvironmentName = 'dev' | 'prod';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
  }
}

/** Validates raw configuration; the error names every bad key, e.g. `pipelines.0.gateAction`. */
export function parseGuardConfig(raw: unknown, origin = 'configuration'): GuardConfig {
  const result = guardConfigSchema().safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid release-guard ${origin}: ${issues.join('; ')}`, issues);
}

/** The alarm states that stop a release under the `insufficientData` policy. */
export function blockingStates(policy: GuardConfig['insufficientData']): ReadonlySet<string> {
  return new Set(policy === 'block' ? ['ALARM', 'INSUFFICIENT_DATA'] : ['ALARM']);
}

/**
 * Whether an AWS event (an alarm's: dev; a tile deployment's: prod) comes from where that environment lives. The
 * guard's rules already match only that account's events; this is the same check in the code. Without an account
 * of its own the environment is the guard's account, whose default bus carries only its own service events.
 */
export function fromEnvironmentAccount(
  config: GuardConfig,
  environment: EnvironmentName,
  account: string | undefined,
): boolean {
  const expected = config.environments[environment]?.accountId;
  return expected === undefined || expected === account;
}

export function findPipeline(config: GuardConfig, pipelineName: string): GuardedPipeline | undefined {
  return config.pipelines.find((p) => p.name === pipelineName);
}

/** The configured deployment group of a blue/green tile service, and the config key that names it. */
export function tileCodeDeployGroup(
  config: GuardConfig,
  ref: { pipeline: string; cluster: string; service: string },
): { group: CodeDeployGroup | undefined; configKey: string } {
  const pipelines = config.pipelines;
  const p = pipelines.findIndex((x) => x.name === ref.pipeline);
  const tiles = pipelines[p]?.tileServices ?? [];
  const t = tiles.findIndex((x) => x.cluster === ref.cluster && x.services.includes(ref.service));
  const s = t < 0 ? -1 : tiles[t]!.services.indexOf(ref.service);
  return {
    group: tiles[t]?.codeDeploy?.[ref.service],
    configKey: `pipelines.${p}.tileServices.${t}.services.${s}.codeDeploy`,
  };
}
