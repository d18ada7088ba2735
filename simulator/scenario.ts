import { COMMANDS } from '../lib/command/command-schema';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { faultSpecSchema } from './world/faults';

const stage = z
  .object({ name: z.string(), minutes: z.number().positive(), gate: z.string().optional() })
  .strict();

const pipelineWorld = z
  .object({
    name: z.string(),
    stages: z.array(stage).optional(),
    tokenLagSeconds: z.number().min(0).default(2),
    version: z.number().int().positive().default(1),
    /** Restores the guard starts (RollbackStage, or a restart with source revisions) fail in this stage. */
    failRestoresIn: z.string().optional(),
    /** RollbackStage's error for a running stage (default: UnableToRollbackStageException, as AWS documents). */
    rollbackStageBusyError: z.enum(['UnableToRollbackStageException', 'ConflictException']).optional(),
  })
  .strict();

const codeDeployment = z
  .object({
    id: z.string(),
    application: z.string(),
    deploymentGroup: z.string(),
    status: z.enum(['Succeeded', 'Failed', 'Stopped', 'InProgress']),
    error: z.string().optional(),
    rollbackDeploymentId: z.string().optional(),
    /** How CodeDeploy's own rollback deployment (`rollbackDeploymentId`) ended. */
    rollbackStatus: z.enum(['Succeeded', 'Failed', 'InProgress']).optional(),
  })
  .strict();

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit account id');

/** An account other than the guard's (111122223333): Dev's or Prod's, or one the guard is not configured for. */
const accountWorld = z
  .object({
    id: accountId,
    /** Its forwarder stack is deployed: its alarm, ECS and CodeDeploy events reach the guard's bus as they are. */
    forwarder: z.boolean().default(true),
    /** Roles the guard may assume there (exactly as STS checks: ARN, external id, and who it trusts). */
    roles: z
      .array(
        z
          .object({
            arn: z.string(),
            externalId: z.string(),
            /** The guard functions (alarmGate, promote, …) the role trusts; default: all of them. */
            trusts: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

const alarmWorld = z
  .object({
    name: z.string(),
    /** The account it lives in (default: the guard's own). */
    account: accountId.optional(),
    state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']).default('OK'),
    tags: z.record(z.string(), z.string()).optional(),
    composite: z.boolean().optional(),
    propagateTags: z.boolean().optional(),
    /** The shape of `detail.configuration` in its events (simulator/world/alarm-shapes.ts). */
    kind: z.enum(['metric', 'metric-math', 'anomaly-detection', 'composite', 'metrics-insights']).optional(),
    /** Its events carry `muteDetail`, as CloudWatch adds for an alarm under a mute rule. */
    muted: z.boolean().optional(),
  })
  .strict();

const ecsServiceWorld = z
  .object({
    cluster: z.string(),
    /** The account it runs in (default: the guard's own); its CodeDeploy group lives there too. */
    account: accountId.optional(),
    service: z.string(),
    controller: z.string().default('ECS'),
    /** How long a deployment of the service runs before it ends (or never, `hang`). */
    minutes: z.number().positive().default(4),
    outcome: z.enum(['complete', 'fail', 'rollback', 'hang']).default('complete'),
    codeDeploy: z.object({ application: z.string(), deploymentGroup: z.string() }).strict().optional(),
  })
  .strict();

const pageSize = z.number().int().min(1).max(100).optional();
const pageSizes = z
  .object({
    DescribeAlarms: pageSize,
    DescribeAlarmHistory: pageSize,
    ListSchedules: pageSize,
    ListPipelineExecutions: pageSize,
    GetResources: pageSize,
  })
  .strict();

const pattern = z.record(z.string(), z.unknown());

/** One step of the timeline, at `at` minutes after the scenario's start. */
const step = z.union([
  z
    .object({
      at: z.number(),
      commit: z
        .object({
          id: z.string(),
          message: z.string().default(''),
          pipeline: z.string().optional(),
          failIn: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      at: z.number(),
      alarm: z
        .object({
          name: z.string(),
          state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
          reason: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      at: z.number(),
      transition: z
        .object({
          pipeline: z.string().optional(),
          stage: z.string(),
          enabled: z.boolean(),
          reason: z.string().optional(),
          by: z.string().default('a human'),
        })
        .strict(),
    })
    .strict(),
  z.object({ at: z.number(), event: z.record(z.string(), z.unknown()) }).strict(),
  /** The pipeline's structure changes (an edit of the pipeline): new executions run in this version. */
  z
    .object({
      at: z.number(),
      pipelineVersion: z
        .object({ pipeline: z.string().optional(), version: z.number().int().positive() })
        .strict(),
    })
    .strict(),
  z.object({ at: z.number(), redeliver: pattern }).strict(),
  z.object({ at: z.number(), lose: pattern }).strict(),
  /** The next PutEvents entry matching `pattern` is rejected once (FailedEntryCount 1): the guard's retry path. */
  z.object({ at: z.number(), failPutEvents: pattern }).strict(),
  /** From now on AWS calls matching `call` (and `function`) meet a fault (simulator/world/faults.ts). */
  z.object({ at: z.number(), fault: faultSpecSchema }).strict(),
  /** From now on Slack's webhook answers with this HTTP status (200 again ends an outage). */
  z
    .object({
      at: z.number(),
      slack: z
        .object({ status: z.number().int().min(200).max(599), retryAfter: z.number().optional() })
        .strict(),
    })
    .strict(),
  /** From now on, events matching `pattern` reach EventBridge targets `minutes` late (out of order). */
  z
    .object({ at: z.number(), delay: z.object({ pattern, minutes: z.number().positive() }).strict() })
    .strict(),
  /** One contributor (time series) of a Metrics Insights alarm changes state. */
  z
    .object({
      at: z.number(),
      contributor: z
        .object({
          alarm: z.string(),
          id: z.string(),
          state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
          attributes: z.record(z.string(), z.string()).default({}),
        })
        .strict(),
    })
    .strict(),
  /**
   * A person's command over the guard's function URL, signed by `by` (a name: arn:aws:iam::111122223333:user/<by>;
   * or a full IAM/STS ARN). `untilMinutes`: a hold's `until`, minutes after this step.
   */
  z
    .object({
      at: z.number(),
      person: z
        .object({
          command: z.enum(COMMANDS),
          /** history: how far back (`30d`, a date); default the command's own. */
          since: z.string().optional(),
          execution: z.string().optional(),
          despiteAlarm: z.boolean().optional(),
          pipeline: z.string().optional(),
          by: z.string(),
          reason: z.string().optional(),
          untilMinutes: z.number().positive().optional(),
        })
        .strict(),
    })
    .strict(),
  /**
   * A person in Slack (Slack controls, config `slack`): presses the `action` button on the latest message that
   * offers it, or types `/release-guard <text>`; `by` is the Slack user id. Signed as Slack signs (`forged`: with
   * another secret) and sent to the Slack endpoint, through its verification (docs/scenarios.md).
   */
  z
    .object({
      at: z.number(),
      slackClick: z
        .object({
          action: z.enum(['hold', 'release-hold', 'promote-now', 'lift-block', 'rollback-now']).optional(),
          text: z.string().optional(),
          by: z.string(),
          name: z.string().optional(),
          pipeline: z.string().optional(),
          channel: z.string().optional(),
          forged: z.boolean().optional(),
        })
        .strict()
        .refine(
          (c) => (c.action === undefined) !== (c.text === undefined),
          'action: <button> or text: <slash command>',
        ),
    })
    .strict(),
  /** A person answers the gate in the CodePipeline console (approve or reject the waiting approval action). */
  z
    .object({
      at: z.number(),
      console: z
        .object({
          pipeline: z.string().optional(),
          approve: z.string().optional(),
          reject: z.string().optional(),
          by: z.string().default('a human'),
          summary: z.string().optional(),
        })
        .strict()
        .refine(
          (c) => (c.approve === undefined) !== (c.reject === undefined),
          'approve: <action> or reject: <action>',
        ),
    })
    .strict(),
  z.object({ at: z.number() }).strict(),
]);

const expectation = z.union([
  z
    .object({
      emitted: z.string(),
      commit: z.string().optional(),
      count: z.number().int().min(0).optional(),
      where: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  z
    .object({
      call: z.string(),
      count: z.number().int().min(0).optional(),
      where: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  z.object({ execution: z.object({ commit: z.string(), status: z.string() }).strict() }).strict(),
  /** Slack messages the notifier posted whose text (the header line) contains `slack`. */
  z.object({ slack: z.string(), count: z.number().int().min(0).optional() }).strict(),
  /** The guard's answers to people's commands (`person` steps) with this HTTP status (and, with `says`, these words). */
  z
    .object({
      answer: z.number().int(),
      says: z.string().optional(),
      command: z.string().optional(),
      count: z.number().int().min(0).optional(),
    })
    .strict(),
  /** Events a function's on-failure destination received (every attempt failed or died). */
  z.object({ dlq: z.string(), count: z.number().int().min(0).optional() }).strict(),
  /**
   * In every invocation of `function` that makes `call`, it is sent within the first `roundTrip` round trips,
   * counting every call (announcing ones too: the journal's intent is a round trip before the first write).
   */
  z
    .object({
      sentBy: z
        .object({ function: z.string(), call: z.string(), roundTrip: z.number().int().positive() })
        .strict(),
    })
    .strict(),
  z
    .object({
      maxCalls: z
        .object({
          function: z.string(),
          calls: z.number().int().positive().optional(),
          reads: z.number().int().positive().optional(),
          writes: z.number().int().min(0).optional(),
          /** Sequential round trips of those calls in one invocation (calls sent together count once). */
          roundTrips: z.number().int().min(0).optional(),
        })
        .strict(),
    })
    .strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    start: z.iso.datetime().default('2026-11-27T09:00:00Z'),
    /** Minutes after the last step to keep the clock running (schedules fire, stages finish). */
    /** Run the scheduled functions (reconcile, bakeTimerSweep) on their schedules; or only the ones named. */
    scheduled: z.union([z.boolean(), z.array(z.string())]).default(false),
    runFor: z
      .number()
      .positive()
      .default(12 * 60),
    config: z.record(z.string(), z.unknown()).default({}),
    world: z
      .object({
        pipelines: z.array(pipelineWorld).optional(),
        /** SSM Change Calendars: closed periods in minutes after the start (until absent: closed from then on). */
        calendars: z
          .array(
            z
              .object({
                name: z.string(),
                closed: z
                  .array(z.object({ from: z.number(), until: z.number().optional() }).strict())
                  .default([]),
              })
              .strict(),
          )
          .default([]),
        /** Accounts other than the guard's (the guard and its pipeline are in 111122223333). */
        accounts: z.array(accountWorld).default([]),
        alarms: z.array(alarmWorld).default([]),
        ecs: z.array(ecsServiceWorld).default([]),
        codeDeployments: z.array(codeDeployment).default([]),
        /** Smaller pages than AWS's maximum (AWS may return fewer items than asked): simulator/world/paging.ts. */
        pageSizes: pageSizes.optional(),
      })
      .strict()
      .default({ calendars: [], accounts: [], alarms: [], ecs: [], codeDeployments: [] }),
    timeline: z.array(step).min(1),
    expect: z.array(expectation).default([]),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = Scenario['timeline'][number];
export type Expectation = Scenario['expect'][number];

export function loadScenario(file: string): Scenario {
  const raw: unknown = file.endsWith('.json')
    ? JSON.parse(readFileSync(file, 'utf8'))
    : parse(readFileSync(file, 'utf8'));
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid scenario ${file}: ${issues}`);
  }
  return parsed.data;
}

export const DEFAULT_STAGES = [
  { name: 'Source', minutes: 1 },
  { name: 'Build', minutes: 4 },
  { name: 'Dev', minutes: 5 },
  { name: 'Prod', minutes: 5, gate: 'BakeGate' },
];
