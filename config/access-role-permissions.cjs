'use strict';

/**
 * What the guard may do in Dev's and Prod's own accounts: the policy statements of the access role there
 * (forwarder.yml), exactly the calls its cross-account functions make, with that account's ARNs.
 */
const unique = (list) => [...new Set(list)];

/** Dev's calls (lib/aws/cloudwatch.ts, alarm-tags.ts): alarm states, their history and (tag selectors) their tags. */
function devStatements(config, target) {
  const alarmArns = unique(
    config.pipelines.map(
      (p) =>
        `arn:${target.partition}:cloudwatch:${target.region}:${target.accountId}:alarm:` +
        `${p.devAlarms.namePrefix ?? ''}*`,
    ),
  );
  return [
    // Composite alarms (the selectors may pick them) are returned only to DescribeAlarms and DescribeAlarmHistory
    // permissions scoped to "*" (CloudWatch API reference); both are read-only.
    {
      Sid: 'ReadDevAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: '*',
    },
    // One alarm's tags (the alarm gate, for an event without alarmTags): alarms matching the prefix, if any.
    {
      Sid: 'ReadDevAlarmTags',
      Effect: 'Allow',
      Action: 'cloudwatch:ListTagsForResource',
      Resource: alarmArns,
    },
    // A tag selector's alarms in one paginated read. GetResources has no resource-level permissions (Service
    // Authorization Reference, Resource Groups Tagging API: no resource type), so "*"; it only reads tags.
    {
      Sid: 'FindTaggedDevAlarms',
      Effect: 'Allow',
      Action: 'tag:GetResources',
      Resource: '*',
    },
  ];
}

/** Prod's calls (lib/aws/ecs.ts, codedeploy.ts; the guard's infra/tile-restart.yml): the configured tiles only. */
function prodStatements(config, target) {
  const arn = (service, resource) =>
    `arn:${target.partition}:${service}:${target.region}:${target.accountId}:${resource}`;
  const tiles = config.pipelines.flatMap((p) => p.tileServices);
  const services = unique(
    tiles.flatMap((t) => t.services.map((s) => arn('ecs', `service/${t.cluster}/${s}`))),
  );
  const groups = tiles.flatMap((t) => Object.values(t.codeDeploy ?? {}));
  const statements = [
    {
      Sid: 'RestartConfiguredTileServices',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: services,
    },
  ];
  if (groups.length === 0) return statements;
  return [
    ...statements,
    {
      Sid: 'RedeployLastSuccessfulRevision',
      Effect: 'Allow',
      Action: ['codedeploy:GetDeployment', 'codedeploy:GetDeploymentGroup', 'codedeploy:CreateDeployment'],
      Resource: unique(
        groups.map((g) => arn('codedeploy', `deploymentgroup:${g.application}/${g.deploymentGroup}`)),
      ),
    },
    {
      Sid: 'CreateDeploymentReadsItsConfig',
      Effect: 'Allow',
      Action: 'codedeploy:GetDeploymentConfig',
      Resource: arn('codedeploy', 'deploymentconfig:*'),
    },
    {
      Sid: 'ReadConfiguredApplicationRevisions',
      Effect: 'Allow',
      Action: 'codedeploy:GetApplicationRevision',
      Resource: unique(groups.map((g) => arn('codedeploy', `application:${g.application}`))),
    },
  ];
}

module.exports = { devStatements, prodStatements };
