/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: osls loads `${file(x.cjs)}` with require(). */
'use strict';

/**
 * The bridge between the stage configuration and forwarder.yml: `${file(./config/forwarder-vars.cjs)}`.
 *
 * One forwarder stack per environment (Dev or Prod) in its own account. Every name and pattern comes from
 * crossAccountNames (config/serverless-vars.cjs), the function the guard's side builds its bus policy and its
 * sts:AssumeRole policies from, so the two stacks cannot disagree about a rule ARN or a role ARN.
 */
const {
  SERVICE,
  TARGET_RETRY_POLICY,
  StageConfigError,
  loadStageConfig,
  crossAccountNames,
} = require('./serverless-vars.cjs');
const { devStatements, prodStatements } = require('./access-role-permissions.cjs');

const ENVIRONMENTS = ['dev', 'prod'];
const LOGICAL_IDS = {
  role: 'ForwarderRole',
  accessRole: 'GuardAccessRole',
  deadLetterQueue: 'ForwarderDeadLetterQueue',
  alertsTopic: 'ForwarderAlertsTopic',
};
const getAtt = (id, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

/** `--param="environment=dev"`: osls hands the CLI's params over as `["environment=dev", …]`. */
function environmentParam(options) {
  const params = [options?.param ?? []].flat();
  const given = params.find((p) => typeof p === 'string' && p.startsWith('environment='));
  const env = given?.slice('environment='.length);
  if (!env || !ENVIRONMENTS.includes(env)) {
    throw new StageConfigError(
      `forwarder.yml needs the environment it is deployed for: pass --param="environment=dev" or ` +
        `--param="environment=prod"${env ? ` (not "${env}")` : ''}.`,
    );
  }
  return env;
}

/** Puts the environment's events on the guard's bus, and may do nothing else. */
function forwarderRole(target, guardBusArn) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: target.forwarderRoleName,
      Description: `Forwards ${target.accountId}'s release-guard events to the guard's bus`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': target.accountId },
              ArnEquals: { 'aws:SourceArn': target.rules.map((r) => r.arn) },
            },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'put-events-on-the-guard-bus',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: guardBusArn }],
          },
        },
      ],
    },
  };
}

/**
 * The role the guard's functions assume here. The trust names the Deployment account's root and narrows it with
 * aws:PrincipalArn to the guard's fixed role names: unlike a role ARN as principal, it survives the guard's roles
 * being deleted and re-created (docs/accounts.md).
 */
function accessRole(config, env, target, deployment) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: target.roleName,
      Path: target.rolePath,
      Description: `The release guard (account ${deployment.accountId}) works in ${env} through this role`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:${target.partition}:iam::${deployment.accountId}:root` },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'sts:ExternalId': target.externalId },
              ArnEquals: { 'aws:PrincipalArn': target.trustedFunctionRoleArns },
            },
          },
        ],
      },
      Policies: [
        {
          PolicyName: `release-guard-${env}`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: (env === 'dev' ? devStatements : prodStatements)(config, target),
          },
        },
      ],
    },
  };
}

/** One rule per forwarded pattern on the default bus; what the guard's bus cannot take waits in the queue. */
function forwardRules(target, guardBusArn) {
  return Object.fromEntries(
    target.rules.map((rule, i) => [
      `ForwardRule${i + 1}`,
      {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: rule.name,
          Description: "Forwards these events to the release guard's bus",
          EventPattern: rule.pattern,
          State: 'ENABLED',
          Targets: [
            {
              Id: 'guard-bus',
              Arn: guardBusArn,
              RoleArn: getAtt(LOGICAL_IDS.role),
              RetryPolicy: {
                MaximumEventAgeInSeconds: TARGET_RETRY_POLICY.maximumEventAge,
                MaximumRetryAttempts: TARGET_RETRY_POLICY.maximumRetryAttempts,
              },
              DeadLetterConfig: { Arn: getAtt(LOGICAL_IDS.deadLetterQueue) },
            },
          ],
        },
      },
    ]),
  );
}

/** Undeliverable events: the queue (only these rules may send), an alarm on its depth, the topic it alerts. */
function deadLetters(config, base, target) {
  return {
    [LOGICAL_IDS.deadLetterQueue]: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: `${base}-dlq`, MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
    },
    ForwarderDeadLetterQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: LOGICAL_IDS.deadLetterQueue }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ForwardRuleDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getAtt(LOGICAL_IDS.deadLetterQueue),
              Condition: { ArnEquals: { 'aws:SourceArn': target.rules.map((r) => r.arn) } },
            },
          ],
        },
      },
    },
    [LOGICAL_IDS.alertsTopic]: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: `${base}-alerts`, DisplayName: `Release guard forwarder ${base} alerts` },
    },
    ...(config.alertEmail
      ? {
          ForwarderAlertsEmailSubscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: {
              TopicArn: { Ref: LOGICAL_IDS.alertsTopic },
              Protocol: 'email',
              Endpoint: config.alertEmail,
            },
          },
        }
      : {}),
    ForwarderDeadLetterAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${base}-dead-letters`,
        AlarmDescription:
          "Events for the release guard could not be put on its bus for an hour and wait in this stack's " +
          'dead-letter queue: the guard did not see them. Check the guard bus policy, then redrive the queue.',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(LOGICAL_IDS.deadLetterQueue, 'QueueName') }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: LOGICAL_IDS.alertsTopic }],
      },
    },
  };
}

/**
 * Everything forwarder.yml reads for one stage and environment. Pure apart from reading the stage file.
 * @param {string} stage
 * @param {'dev' | 'prod'} env
 * @param {string | undefined} optionRegion `--region`, which must be the environment's own
 */
function forwarderVars(stage, env, optionRegion) {
  const config = loadStageConfig(stage);
  const file = `config/stages/${stage}.yml`;
  const deployment = config.environments.deployment;
  const names = crossAccountNames(config, stage);
  const target = names.environments[env];
  if (!deployment || !target) {
    throw new StageConfigError(
      `${file} has no environments.${env}: ${env} is the guard's own account for stage "${stage}", so there is ` +
        `nothing to forward (deploy only the guard: npx sls deploy --stage ${stage}).`,
    );
  }
  if (target.rules.length === 0) {
    throw new StageConfigError(
      `${file} environments.${env}: no ${env} events to forward (no tile services configured in pipelines[]); ` +
        `leave environments.${env} out or configure tileServices.`,
    );
  }
  if (optionRegion && optionRegion !== target.region) {
    throw new StageConfigError(
      `${file} puts ${env} in ${target.region} (environments.${env}.region, default environments.deployment.region), ` +
        `but --region is ${optionRegion}: leave --region out.`,
    );
  }
  const base = `${SERVICE}-${stage}-${env}-forwarder`;
  const rules = forwardRules(target, names.guardBusArn);
  return {
    region: target.region,
    stackName: base,
    resources: {
      Description: `LeadOut Release Guard (${stage}): the ${env} account's forwarder and access role`,
      Resources: {
        ...rules,
        [LOGICAL_IDS.role]: forwarderRole(target, names.guardBusArn),
        [LOGICAL_IDS.accessRole]: accessRole(config, env, target, deployment),
        ...deadLetters(config, base, target),
      },
      Outputs: {
        // Must equal environments.<env>.roleArn: the guard assumes exactly that ARN.
        GuardAccessRoleArn: { Value: getAtt(LOGICAL_IDS.accessRole) },
        ...Object.fromEntries(Object.keys(rules).map((id) => [`${id}Arn`, { Value: getAtt(id) }])),
      },
    },
  };
}

/** The osls entry point: `${file(./config/forwarder-vars.cjs)}`. */
module.exports = async function forwarderFile({ options, resolveVariable }) {
  const stage = options?.stage || (await resolveVariable('sls:stage')) || 'dev';
  return forwarderVars(stage, environmentParam(options), options?.region || undefined);
};

module.exports.forwarderVars = forwarderVars;
