/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: osls loads `${file(x.cjs)}` with require(). */
'use strict';

/**
 * The bridge between the stage configuration and serverless.yml: `${file(./config/serverless-vars.cjs):<address>}`.
 *
 * osls calls the exported function with `{ options, resolveVariable, resolveConfigurationProperty }` and then
 * follows the dotted address into what it returns (`:events.bakeStart` works). The stage file is validated with
 * the real zod schema and the EventBridge rules come from events/rules.ts, so serverless.yml spells no pattern and
 * a bad key fails `sls package` naming it.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const tsx = require('tsx/cjs/api');

const { parseGuardConfig } = tsx.require('./schema.ts', __filename);
const { functionRules, functionSchedules, environmentPatterns } = tsx.require(
  '../events/rules.ts',
  __filename,
);
const { dashboardResources, dashboardName } = require('./dashboard.cjs');

const SERVICE = 'leadout-release-guard';
/** The release-safety metrics' namespace (handlers/metrics/handler.ts publishes there too). */
const METRICS_NAMESPACE = 'LeadOut/ReleaseGuard';
const STAGES_DIR = path.join(__dirname, 'stages');

/** Logical IDs of serverless.yml resources that the generated events and ARNs point at. */
const LOGICAL_IDS = {
  bus: 'GuardEventBus',
  deadLetterQueue: 'GuardTargetDeadLetterQueue',
  schedulerRole: 'BakeTimerSchedulerRole',
  alertsTopic: 'GuardAlertsTopic',
};

/**
 * Every EventBridge target retries for an hour, then parks the event in the DLQ (which has an alarm). Delivery to a
 * Lambda is an async invoke, so this covers throttling and permission faults; handler errors are the function's
 * `destinations.onFailure` (serverless.yml).
 */
const TARGET_RETRY_POLICY = { maximumEventAge: 3600, maximumRetryAttempts: 20 };

const LOCAL_ACCOUNT_PLACEHOLDER = '000000000000';

class StageConfigError extends Error {
  name = 'StageConfigError';
  constructor(message, options) {
    super(message, options);
    // osls prints the stack of a failing variable source; the message is all a reader needs.
    this.stack = `${this.name}: ${message}`;
  }
}

const sub = (template) => ({ 'Fn::Sub': template });
const arnPrefix = (service) => `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}`;

/** Resource names every stage gets; serverless.yml names its resources from here. */
function resourceNames(stage) {
  const base = `${SERVICE}-${stage}`;
  return {
    bus: base,
    ledgerTable: `${base}-ledger`,
    scheduleGroup: base,
    deadLetterQueue: `${base}-target-dlq`,
  };
}

function availableStages() {
  return fs
    .readdirSync(STAGES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -'.yml'.length))
    .sort();
}

/** Reads and validates config/stages/<stage>.yml; the error names the file and every bad key. */
function loadStageConfig(stage) {
  const relative = `config/stages/${stage}.yml`;
  const file = path.join(STAGES_DIR, `${stage}.yml`);
  if (!/^[A-Za-z0-9-]+$/.test(stage) || !fs.existsSync(file)) {
    throw new StageConfigError(
      `No release-guard configuration for stage "${stage}": ${relative} does not exist. ` +
        `Available stages: ${availableStages().join(', ') || '(none)'}.`,
    );
  }
  return loadConfigFile(file, relative);
}

/** Reads and validates one configuration file (a stage's, or any other: `simulate --config`); `shown` names it. */
function loadConfigFile(file, shown = file) {
  let raw;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    const why = cause.code === 'ENOENT' ? 'does not exist' : `is not valid YAML: ${cause.message}`;
    throw new StageConfigError(`${shown} ${why}`, { cause });
  }
  try {
    return parseGuardConfig(raw, shown);
  } catch (cause) {
    throw new StageConfigError(cause.message, { cause });
  }
}

/**
 * The functions that read or write in Dev's or Prod's own account, when it has one (config `environments`):
 * they assume the role configured there, and only they (lib/aws/assumed-role.ts, handler.ts of each).
 */
const CROSS_ACCOUNT_FUNCTIONS = { dev: ['alarmGate', 'promote', 'reconcile'], prod: ['tileRestart'] };
/** The guard's roles that publish on its bus (each role's own policy grants events:PutEvents on it). */
const BUS_PUBLISHER_ROLES = [
  'AlarmGateRole',
  'BakeStartRole',
  'CodeDeployReportRole',
  'CommandRole',
  'PromoteRole',
  'ReconcileRole',
  'RollbackRole',
  'TileFollowRole',
  'TileRestartRole',
  LOGICAL_IDS.schedulerRole,
];

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const partitionOf = (arn) => arn.split(':')[1];

function checkedName(kind, name, max) {
  if (name.length > max) {
    throw new StageConfigError(`${kind} name ${name} is over ${max} characters: use a shorter stage name.`);
  }
  return name;
}

/**
 * Names both sides of a cross-account setup agree on: the guard's function roles (the Dev/Prod roles trust exactly
 * these), and per environment the forwarder stack's rules and role (the guard's bus accepts exactly these).
 */
function crossAccountNames(config, stage) {
  const functionRoles = Object.fromEntries(
    [...new Set(Object.values(CROSS_ACCOUNT_FUNCTIONS).flat())].map((fn) => [
      fn,
      checkedName('IAM role', `${SERVICE}-${stage}-${kebab(fn)}`, 64),
    ]),
  );
  const deployment = config.environments.deployment;
  const patterns = environmentPatterns(config);
  const environments = {};
  for (const env of ['dev', 'prod']) {
    const target = config.environments[env];
    if (!target || !deployment) continue;
    const partition = partitionOf(target.roleArn);
    const region = target.region ?? deployment.region;
    const rules = patterns[env].map((pattern, i) => {
      const name = checkedName('EventBridge rule', `${SERVICE}-${stage}-${env}-forward-${i + 1}`, 64);
      return { name, pattern, arn: `arn:${partition}:events:${region}:${target.accountId}:rule/${name}` };
    });
    const forwarderRole = checkedName('IAM role', `${SERVICE}-${stage}-${env}-forwarder`, 64);
    const roleName = target.roleArn.slice(target.roleArn.lastIndexOf('/') + 1);
    environments[env] = {
      ...target,
      region,
      partition,
      rules,
      forwarderRoleName: forwarderRole,
      forwarderRoleArn: `arn:${partition}:iam::${target.accountId}:role/${forwarderRole}`,
      roleName,
      rolePath: target.roleArn.slice(target.roleArn.indexOf(':role/') + ':role'.length, -roleName.length),
      trustedFunctionRoleArns: CROSS_ACCOUNT_FUNCTIONS[env].map(
        (fn) => `arn:${partition}:iam::${deployment.accountId}:role/${functionRoles[fn]}`,
      ),
    };
  }
  const guardBusArn =
    deployment &&
    `arn:${partitionOf(Object.values(environments)[0]?.roleArn ?? 'arn:aws')}:events:${deployment.region}:` +
      `${deployment.accountId}:event-bus/${resourceNames(stage).bus}`;
  return { functionRoles, environments, guardBusArn };
}

/**
 * The guard bus's only publishers: its own roles, and (another account's Dev or Prod) the forwarder rules there.
 * Both keys must miss for the Deny to apply, and aws:SourceArn is set by EventBridge, never by a caller.
 */
function busPublishersCondition(names, config) {
  const forwarderRules = Object.values(names.environments).flatMap((e) => e.rules.map((r) => r.arn));
  // The forwarder roles too: AWS documents aws:SourceArn for a rule target without a role; with one, the caller is
  // the role's session (only events.amazonaws.com may assume it, for exactly those rules: forwarder-vars.cjs).
  const forwarderRoles = Object.values(names.environments).map((e) => e.forwarderRoleArn);
  return {
    ArnNotEquals: {
      'aws:PrincipalArn': [
        ...BUS_PUBLISHER_ROLES.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
        // The Slack endpoint puts only SlackCommandRequested (its role's condition), and only when deployed.
        ...(config.slack ? [{ 'Fn::GetAtt': ['SlackControlsRole', 'Arn'] }] : []),
        ...forwarderRoles,
      ],
      ...(forwarderRules.length > 0 ? { 'aws:SourceArn': forwarderRules } : {}),
    },
  };
}

/**
 * With Dev or Prod in another account: the bus accepts that account's forwarder rules (AWS's documented
 * cross-account form: the account as principal, the rule as aws:SourceArn), and the functions that work there may
 * assume the configured role there and no other (no sts:AssumeRole on `*`).
 */
function crossAccountResources(names) {
  const resources = {};
  for (const [env, target] of Object.entries(names.environments)) {
    const Env = env[0].toUpperCase() + env.slice(1);
    resources[`GuardEventBusFrom${Env}Forwarder`] = {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: LOGICAL_IDS.bus },
        StatementId: `from-the-${env}-forwarder`,
        Statement: {
          Sid: `from-the-${env}-forwarder`,
          Effect: 'Allow',
          Principal: { AWS: `arn:${target.partition}:iam::${target.accountId}:root` },
          Action: 'events:PutEvents',
          Resource: { 'Fn::GetAtt': [LOGICAL_IDS.bus, 'Arn'] },
          Condition: { ArnEquals: { 'aws:SourceArn': target.rules.map((r) => r.arn) } },
        },
      },
    };
    // The same forwarder seen as its role's session (a rule target with a RoleArn).
    resources[`GuardEventBusFrom${Env}ForwarderRole`] = {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: LOGICAL_IDS.bus },
        StatementId: `from-the-${env}-forwarder-role`,
        Statement: {
          Sid: `from-the-${env}-forwarder-role`,
          Effect: 'Allow',
          Principal: { AWS: `arn:${target.partition}:iam::${target.accountId}:root` },
          Action: 'events:PutEvents',
          Resource: { 'Fn::GetAtt': [LOGICAL_IDS.bus, 'Arn'] },
          Condition: { ArnEquals: { 'aws:PrincipalArn': target.forwarderRoleArn } },
        },
      },
    };
    resources[`Assume${Env}AccountRolePolicy`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: `assume-the-${env}-account-role`,
        Roles: CROSS_ACCOUNT_FUNCTIONS[env].map((fn) => ({
          Ref: `${fn[0].toUpperCase()}${fn.slice(1)}Role`,
        })),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: `Assume${Env}AccountRole`,
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: target.roleArn,
            },
          ],
        },
      },
    };
  }
  return { Resources: resources };
}

/** Rule names are explicit so the DLQ policy can name every rule ARN that may send to it. */
function ruleName(stage, functionName, index) {
  const name = `${SERVICE}-${stage}-${functionName}-${index + 1}`;
  if (name.length > 64) {
    throw new StageConfigError(
      `EventBridge rule name ${name} is over 64 characters: use a shorter stage name.`,
    );
  }
  return name;
}

/** serverless `eventBridge` events for each function, from functionRules(config). */
function functionEvents(config, stage) {
  return Object.fromEntries(
    Object.entries(functionRules(config)).map(([functionName, rules]) => [
      functionName,
      rules.map((rule, index) => ({
        eventBridge: {
          name: ruleName(stage, functionName, index),
          // osls rejects `Fn::GetAtt [bus, Arn]`; `Name` is accepted and keeps the bus a resource of its own.
          ...(rule.bus === 'guard' ? { eventBus: { 'Fn::GetAtt': [LOGICAL_IDS.bus, 'Name'] } } : {}),
          pattern: rule.pattern,
          retryPolicy: { ...TARGET_RETRY_POLICY },
          deadLetterQueueArn: { 'Fn::GetAtt': [LOGICAL_IDS.deadLetterQueue, 'Arn'] },
        },
      })),
    ]),
  );
}

/**
 * `rate(N minutes)` schedules for the functions that run on a clock (functionSchedules), as EventBridge rules on the
 * default bus with the same retry policy and dead-letter queue as every other target.
 */
function scheduleEvents(config, stage) {
  return Object.fromEntries(
    Object.entries(functionSchedules(config)).map(([functionName, { everyMinutes }]) => [
      functionName,
      [
        {
          eventBridge: {
            name: ruleName(stage, `${functionName}-every`, 0),
            schedule: `rate(${everyMinutes} ${everyMinutes === 1 ? 'minute' : 'minutes'})`,
            retryPolicy: { ...TARGET_RETRY_POLICY },
            deadLetterQueueArn: { 'Fn::GetAtt': [LOGICAL_IDS.deadLetterQueue, 'Arn'] },
          },
        },
      ],
    ]),
  );
}

/** Per function, everything that triggers it: its EventBridge rules, then its schedule. */
function functionTriggers(events, schedules) {
  const names = [...new Set([...Object.keys(events), ...Object.keys(schedules)])];
  return Object.fromEntries(names.map((n) => [n, [...(events[n] ?? []), ...(schedules[n] ?? [])]]));
}

function ruleArns(events, names) {
  return Object.values(events)
    .flat()
    .map(({ eventBridge: e }) =>
      sub(`${arnPrefix('events')}:rule/${e.eventBus ? `${names.bus}/` : ''}${e.name}`),
    );
}

/** IAM resources derived from the guarded pipelines and their Dev alarm selectors. */
function iamResources(config) {
  const pipeline = (p) => `${arnPrefix('codepipeline')}:${p.name}`;
  return {
    pipelineArns: config.pipelines.map((p) => sub(pipeline(p))),
    gateActionArns: config.pipelines.map((p) => sub(`${pipeline(p)}/${p.prodStage}/${p.gateAction}`)),
    // Disable/EnableStageTransition authorise on the `stage` resource type: pipeline/stage.
    prodStageArns: config.pipelines.map((p) => sub(`${pipeline(p)}/${p.prodStage}`)),
    rollbackStageArns: config.pipelines.flatMap((p) =>
      [pipeline(p), `${pipeline(p)}/${p.devStage}`, `${pipeline(p)}/${p.prodStage}`].map(sub),
    ),
    codeDeployGroupArns: codeDeployGroupArns(config),
    // Tags are read only for alarms DescribeAlarms returned, i.e. those matching the prefix when there is one.
    alarmArns: [
      ...new Set(
        config.pipelines.map((p) => `${arnPrefix('cloudwatch')}:alarm:${p.devAlarms.namePrefix ?? ''}*`),
      ),
    ].map(sub),
    tileServiceArns: tileServiceArns(config),
    ...tileCodeDeployArns(config),
  };
}

/**
 * The Change Calendars promote may read (config freeze.changeCalendars): names in this account and region, or
 * the ARNs given. IAM rejects an empty Resource list: with none, a document ARN no calendar has.
 */
function changeCalendarArns(config) {
  const names = (config.freeze && config.freeze.changeCalendars) || [];
  const arns = names.map((n) => (n.startsWith('arn:') ? n : sub(`${arnPrefix('ssm')}:document/${n}`)));
  return arns.length > 0 ? arns : [sub(`${arnPrefix('ssm')}:document/no-change-calendar-configured`)];
}

/** The notifier reads the Slack webhook URL from this SecureString at run time (and nothing else from SSM). */
function slackWebhookParameterArn(config) {
  return sub(`${arnPrefix('ssm')}:parameter${config.slackWebhookParameter}`);
}

/**
 * Slack controls (config `slack`, docs/slack-controls.md): the endpoint's file (or the one that adds nothing) and
 * the two SecureStrings it may read: the signing secret and, when a user group is allowed, the bot token.
 */
function slackControls(config) {
  const slack = config.slack;
  return {
    slackControlsFile: slack ? './infra/slack-controls.yml' : './infra/slack-controls-off.yml',
    slackControlsParameterArns: slack
      ? [slack.signingSecretParameter, slack.botTokenParameter]
          .filter(Boolean)
          .map((name) => sub(`${arnPrefix('ssm')}:parameter${name}`))
      : [],
  };
}

/** osls names a function's CloudFormation resource `<FunctionKey>LambdaFunction`, capitalised. */
const lambdaLogicalId = (functionName) =>
  `${functionName[0].toUpperCase()}${functionName.slice(1)}LambdaFunction`;

/**
 * When the guard itself is unwell: an alarm per function (from its triggers: rules and schedules, so a new
 * reaction is covered without editing this) on handler errors in 2 of 3 five-minute periods, i.e. more than one transient retry,
 * to the alerts topic of infra/alerts.yml; plus the optional e-mail subscription to that topic.
 */
function guardAlarms(config, stage, events) {
  const resources = {};
  for (const functionName of Object.keys(events)) {
    const id = lambdaLogicalId(functionName);
    resources[`${id.replace(/LambdaFunction$/, '')}ErrorsAlarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${SERVICE}-${stage}-${functionName}-errors`,
        AlarmDescription:
          `The release guard (${stage}) function ${functionName} keeps failing. Failed invocations are retried ` +
          'twice, then parked in the dead-letter queue: read its log group, fix, then redrive the queue.',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: LOGICAL_IDS.alertsTopic }],
        OKActions: [{ Ref: LOGICAL_IDS.alertsTopic }],
      },
    };
    // Malformed events are logged (lib/reaction.ts: invalidEvent true) and dropped; this counts them.
    resources[`${id.replace(/LambdaFunction$/, '')}InvalidEventsMetricFilter`] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: id.replace(/LambdaFunction$/, 'LogGroup') },
        FilterPattern: '{ $.invalidEvent IS TRUE }',
        MetricTransformations: [
          {
            MetricNamespace: METRICS_NAMESPACE,
            MetricName: 'InvalidEvents',
            MetricValue: '1',
            Unit: 'Count',
          },
        ],
      },
    };
  }
  warnOnce(alertSubscriberWarning(config, stage));
  if (config.alertEmail) {
    resources.GuardAlertsEmailSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: LOGICAL_IDS.alertsTopic },
        Protocol: 'email',
        Endpoint: config.alertEmail,
      },
    };
  }
  return { Resources: resources };
}

/** Without `alertEmail` the DLQ and errors alarms reach nobody: packaging says so (a subscriber can be added later). */
function alertSubscriberWarning(config, stage) {
  if (config.alertEmail) return undefined;
  return (
    `release-guard: stage "${stage}" sets no alertEmail, so the alerts topic (${LOGICAL_IDS.alertsTopic}) has no ` +
    `subscriber and nobody hears of dead-lettered events or function errors. Set alertEmail in ` +
    `config/stages/${stage}.yml, or subscribe to the topic after deploying.`
  );
}

const warned = new Set();
function warnOnce(message) {
  if (!message || warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`\nWARNING ${message}\n\n`);
}

/**
 * The ECS services tileRestart may describe and restart: exactly the configured ones. IAM rejects an empty
 * Resource list, so a stage without tile services gets an ARN no service has (its function has no rule anyway).
 */
function tileServiceArns(config) {
  const arns = config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) => t.services.map((s) => `${arnPrefix('ecs')}:service/${t.cluster}/${s}`)),
  );
  const unique = [...new Set(arns)];
  return (unique.length > 0 ? unique : [`${arnPrefix('ecs')}:service/no-tile-services/configured`]).map(sub);
}

/**
 * The deployment groups (and their applications) tileRestart may deploy to: exactly those configured for its
 * blue/green tile services (`tileServices[].services[].codeDeploy`). With none, ARNs no group or application has.
 */
function tileCodeDeployArns(config) {
  const groups = config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) => Object.values(t.codeDeploy ?? {})),
  );
  const named =
    groups.length > 0 ? groups : [{ application: 'no-tile-codedeploy', deploymentGroup: 'configured' }];
  const unique = (list) => [...new Set(list)].map(sub);
  return {
    tileCodeDeployGroupArns: unique(
      named.map((g) => `${arnPrefix('codedeploy')}:deploymentgroup:${g.application}/${g.deploymentGroup}`),
    ),
    tileCodeDeployApplicationArns: unique(
      named.map((g) => `${arnPrefix('codedeploy')}:application:${g.application}`),
    ),
  };
}

/**
 * GetDeployment is authorised on deployment groups. With no group configured the function has no rule, and its
 * role names a group that cannot exist (IAM rejects an empty Resource list).
 */
function codeDeployGroupArns(config) {
  const groups = config.pipelines.flatMap((p) => p.codeDeployGroups);
  const named = groups.length > 0 ? groups : [{ application: 'none', deploymentGroup: 'none' }];
  return named.map((g) =>
    sub(`${arnPrefix('codedeploy')}:deploymentgroup:${g.application}/${g.deploymentGroup}`),
  );
}

/**
 * The Lambdas' environment (config/runtime.ts). Deployed: CloudFormation intrinsics. `sls invoke local` can only
 * resolve `Ref` (through CloudFormation, i.e. AWS) and no `Fn::GetAtt`, so there the same values are spelled out,
 * with the account from AWS_ACCOUNT_ID or a placeholder: the handler then fails at its first AWS call, as it should
 * without credentials.
 */
function environment(config, names, local) {
  const guardConfig = JSON.stringify(config);
  const base = {
    // Validated above (parseGuardConfig): the Lambdas parse it without validating again while the hash matches.
    GUARD_CONFIG: guardConfig,
    GUARD_CONFIG_SHA256: require('node:crypto')
      .createHash('sha256')
      .update(guardConfig, 'utf8')
      .digest('hex'),
    GUARD_BUS_NAME: names.bus,
    LEDGER_TABLE: names.ledgerTable,
    SCHEDULE_GROUP: names.scheduleGroup,
  };
  if (local) {
    const account = local.account ?? LOCAL_ACCOUNT_PLACEHOLDER;
    return {
      ...base,
      GUARD_BUS_ARN: `arn:aws:events:${local.region}:${account}:event-bus/${names.bus}`,
      SCHEDULER_ROLE_ARN: `arn:aws:iam::${account}:role/${SERVICE}-${local.stage}-bake-timer-scheduler`,
      DEAD_LETTER_QUEUE_ARN: `arn:aws:sqs:${local.region}:${account}:${names.deadLetterQueue}`,
    };
  }
  return {
    ...base,
    GUARD_BUS_ARN: { 'Fn::GetAtt': [LOGICAL_IDS.bus, 'Arn'] },
    SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [LOGICAL_IDS.schedulerRole, 'Arn'] },
    // The runtime one-time schedules (bake timers, tile restart timeouts) park what they cannot deliver here.
    DEAD_LETTER_QUEUE_ARN: { 'Fn::GetAtt': [LOGICAL_IDS.deadLetterQueue, 'Arn'] },
  };
}

/** Every function serverless.yml deploys: the `function` key of each infra/<function>.yml. */
function deployedFunctions() {
  const dir = path.join(__dirname, '..', 'infra');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) =>
      Object.keys(
        YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'), { logLevel: 'error' }).function ?? {},
      ),
    )
    .sort();
}

/** The release-safety dashboard (config/dashboard.cjs) and its console address as a stack output. */
function dashboard(config, stage, names) {
  const functionName = (fn) => `${SERVICE}-${stage}-${fn}`;
  return dashboardResources({
    name: dashboardName(SERVICE, stage),
    stage,
    pipelines: config.pipelines,
    functionNames: deployedFunctions().map(functionName),
    deadLetterQueue: names.deadLetterQueue,
    historyLogGroup: `/aws/lambda/${functionName('history')}`,
  });
}

/**
 * Everything serverless.yml reads for one stage. Pure apart from reading the stage file.
 * @param {string} stage
 * @param {{ local?: { region: string, account?: string } }} [opts] local: values for `sls invoke local`
 */
function guardVars(stage, opts = {}) {
  const config = loadStageConfig(stage);
  const names = resourceNames(stage);
  const events = functionEvents(config, stage);
  const triggers = functionTriggers(events, scheduleEvents(config, stage));
  const accounts = crossAccountNames(config, stage);
  return {
    names: { ...names, roles: accounts.functionRoles },
    // The Slack messages link to the stage's dashboard (handlers/notify).
    environment: {
      ...environment(config, names, opts.local && { ...opts.local, stage }),
      DASHBOARD_NAME: dashboardName(SERVICE, stage),
    },
    events,
    triggers,
    deadLetterSourceArns: ruleArns(triggers, names),
    ...iamResources(config),
    slackWebhookParameterArn: slackWebhookParameterArn(config),
    ...slackControls(config),
    changeCalendarArns: changeCalendarArns(config),
    // The Slack endpoint has no trigger (a function URL) but is alarmed like every function.
    guardAlarms: guardAlarms(config, stage, config.slack ? { ...triggers, slackControls: [] } : triggers),
    busPublishersCondition: busPublishersCondition(accounts, config),
    crossAccount: crossAccountResources(accounts),
    dashboard: dashboard(config, stage, names),
  };
}

/** For tests: function name → the serverless `eventBridge` events the stage deploys, without running sls. */
function functionEventsForStage(stage) {
  return guardVars(stage).events;
}

function isInvokeLocal(argv) {
  const i = argv.indexOf('invoke');
  return i >= 0 && argv[i + 1] === 'local';
}

async function resolveStage(options, resolveVariable) {
  if (options && typeof options.stage === 'string' && options.stage) return options.stage;
  return (await resolveVariable('sls:stage')) || 'dev';
}

/**
 * With Dev or Prod in another account, the forwarders target the guard's bus in `environments.deployment.region`:
 * deploying the guard elsewhere would leave them pointing at nothing.
 */
function checkRegion(stage, optionRegion) {
  const deployment = loadStageConfig(stage).environments.deployment;
  const region = optionRegion || 'us-east-1';
  if (deployment && deployment.region !== region) {
    throw new StageConfigError(
      `config/stages/${stage}.yml environments.deployment.region is ${deployment.region}, but the guard is ` +
        `being deployed to ${region}: pass --region ${deployment.region} (the forwarder stacks target the ` +
        `guard's bus there).`,
    );
  }
}

/** The osls entry point: `${file(./config/serverless-vars.cjs):<address>}`. */
module.exports = async function serverlessVars({ options, resolveVariable }) {
  const stage = await resolveStage(options, resolveVariable);
  checkRegion(stage, options && options.region);
  const local = isInvokeLocal(process.argv)
    ? { region: await resolveVariable('self:provider.region'), account: process.env.AWS_ACCOUNT_ID }
    : undefined;
  return guardVars(stage, { local });
};

module.exports.guardVars = guardVars;
module.exports.loadStageConfig = loadStageConfig;
module.exports.loadConfigFile = loadConfigFile;
module.exports.crossAccountNames = crossAccountNames;
module.exports.resourceNames = resourceNames;
module.exports.StageConfigError = StageConfigError;
module.exports.SERVICE = SERVICE;
module.exports.TARGET_RETRY_POLICY = TARGET_RETRY_POLICY;
module.exports.functionEventsForStage = functionEventsForStage;
module.exports.LOGICAL_IDS = LOGICAL_IDS;
module.exports.guardAlarms = guardAlarms;
module.exports.deployedFunctions = deployedFunctions;
module.exports.alertSubscriberWarning = alertSubscriberWarning;
