import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentPatterns } from '../../events/rules';
import type { GuardConfig } from '../../config/schema';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };
type Env = 'dev' | 'prod';
type EnvNames = {
  accountId: string;
  region: string;
  roleArn: string;
  roleName: string;
  externalId: string;
  rules: { name: string; pattern: unknown; arn: string }[];
  forwarderRoleName: string;
  forwarderRoleArn: string;
  trustedFunctionRoleArns: string[];
};
type Bridge = {
  loadStageConfig: (stage: string) => GuardConfig;
  crossAccountNames: (
    config: GuardConfig,
    stage: string,
  ) => { environments: Partial<Record<Env, EnvNames>>; guardBusArn: string };
  TARGET_RETRY_POLICY: { maximumEventAge: number; maximumRetryAttempts: number };
};

const root = fileURLToPath(new URL('../../', import.meta.url));
const bridge = createRequire(import.meta.url)('../../config/serverless-vars.cjs') as Bridge;
const STAGE = 'accounts';
const config = bridge.loadStageConfig(STAGE);
const names = bridge.crossAccountNames(config, STAGE);
const guardRoleArn = (fn: string) => `arn:aws:iam::111111111111:role/leadout-release-guard-${STAGE}-${fn}`;
/** The guard's functions that work in each account (serverless-vars.cjs CROSS_ACCOUNT_FUNCTIONS), spelled out. */
const TRUSTED: Record<Env, string[]> = {
  dev: ['alarm-gate', 'promote', 'reconcile'].map(guardRoleArn),
  prod: [guardRoleArn('tile-restart')],
};

/**
 * Packaging runs in a copy of the project (node_modules linked): osls and serverless-esbuild build in `.serverless`
 * and `.esbuild` of the service directory, which packaged-template.test.ts packages at the same time.
 */
const work = mkdtempSync(join(tmpdir(), 'cross-account-'));
const project = join(work, 'project');
const templates: Partial<Record<'guard' | Env, Template>> = {};
const run = (args: string[]) =>
  promisify(execFile)(`${project}/node_modules/.bin/sls`, args, {
    cwd: project,
    timeout: 170_000,
    maxBuffer: 16 * 1024 * 1024,
  });

async function packaged(key: keyof typeof templates, args: string[]) {
  const out = join(work, key);
  await run(['package', ...args, '--package', out]).catch(
    (e: { message: string; stdout?: string; stderr?: string; killed?: boolean; signal?: string }) => {
      const how = e.killed ? ` (killed: ${e.signal})` : '';
      throw new Error(`sls package ${args.join(' ')}${how}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    },
  );
  templates[key] = JSON.parse(
    readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
}

beforeAll(async () => {
  const skip = new Set(['node_modules', '.git', '.esbuild', '.serverless', 'coverage']);
  cpSync(root, project, {
    recursive: true,
    filter: (src) => !skip.has(src.slice(root.length).split('/')[0]!),
  });
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
  // One after the other: osls builds in the service directory's .serverless (and serverless-esbuild in its
  // .esbuild) before moving the artifacts to --package, so two packages of one directory race.
  await packaged('guard', ['--stage', STAGE, '--region', 'eu-west-1']);
  await packaged('dev', ['--config', 'forwarder.yml', '--stage', STAGE, '--param=environment=dev']);
  await packaged('prod', ['--config', 'forwarder.yml', '--stage', STAGE, '--param=environment=prod']);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every statement of every inline role policy and AWS::IAM::Policy, with the resource it belongs to. */
function permissionStatements(t: Template): [string, Statement][] {
  const roles = ofType(t, 'AWS::IAM::Role').flatMap(([id, r]) =>
    ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
      p.PolicyDocument.Statement.map((s) => [id, s] as [string, Statement]),
    ),
  );
  const policies = ofType(t, 'AWS::IAM::Policy').flatMap(([id, r]) =>
    (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map(
      (s) => [id, s] as [string, Statement],
    ),
  );
  return [...roles, ...policies];
}

function roleNamed(t: Template, name: string): Resource {
  const found = ofType(t, 'AWS::IAM::Role').filter(([, r]) => r.Properties.RoleName === name);
  expect(found, name).toHaveLength(1);
  return found[0]![1];
}
const trustOf = (role: Resource) =>
  (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
const policyOf = (role: Resource) =>
  (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );

describe.each(['dev', 'prod'] as const)('the %s forwarder stack (stage accounts)', (env) => {
  const target = names.environments[env]!;
  const template = () => templates[env]!;

  it('lets exactly the guard functions that work there assume the access role, with the external id', () => {
    const role = roleNamed(template(), target.roleName);

    expect(trustOf(role)).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'sts:ExternalId': `leadout-release-guard-${STAGE}-${env}` },
          ArnEquals: { 'aws:PrincipalArn': TRUSTED[env] },
        },
      },
    ]);
    expect(role.Properties.Path).toBe('/');
    expect(template().Outputs?.GuardAccessRoleArn?.Value).toEqual(
      getAtt(ofType(template(), 'AWS::IAM::Role').find(([, r]) => r === role)![0]),
    );
    expect(target.roleArn).toBe(`arn:aws:iam::${target.accountId}:role/${target.roleName}`);
  });

  it("forwards exactly environmentPatterns' events, by name, to the guard bus through the forwarder role", () => {
    const rules = ofType(template(), 'AWS::Events::Rule');
    const expected = environmentPatterns(config)[env];

    expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual(expected);
    expect(rules.map(([, r]) => r.Properties.Name)).toEqual(
      expected.map((_, i) => `leadout-release-guard-${STAGE}-${env}-forward-${i + 1}`),
    );
    for (const [id, rule] of rules) {
      expect(rule.Properties.EventBusName).toBeUndefined();
      expect(rule.Properties.Targets).toEqual([
        {
          Id: 'guard-bus',
          Arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/leadout-release-guard-accounts',
          RoleArn: getAtt('ForwarderRole'),
          RetryPolicy: {
            MaximumEventAgeInSeconds: bridge.TARGET_RETRY_POLICY.maximumEventAge,
            MaximumRetryAttempts: bridge.TARGET_RETRY_POLICY.maximumRetryAttempts,
          },
          DeadLetterConfig: { Arn: getAtt('ForwarderDeadLetterQueue') },
        },
      ]);
      expect(template().Outputs?.[`${id}Arn`]?.Value).toEqual(getAtt(id));
    }
  });

  it('lets only its rules assume the forwarder role and send to the DLQ; the role only puts on the guard bus', () => {
    const ruleArns = target.rules.map((r) => r.arn);
    const role = roleNamed(template(), `leadout-release-guard-${STAGE}-${env}-forwarder`);
    const [, queuePolicy] = ofType(template(), 'AWS::SQS::QueuePolicy')[0]!;
    const [, queue] = ofType(template(), 'AWS::SQS::Queue')[0]!;

    expect(trustOf(role)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': target.accountId },
          ArnEquals: { 'aws:SourceArn': ruleArns },
        },
      },
    ]);
    expect(policyOf(role)).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: names.guardBusArn },
    ]);
    expect((queuePolicy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
      }),
    ]);
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  it('alarms on any message in the DLQ, to a topic with the stage alert e-mail', () => {
    const [, alarm] = ofType(template(), 'AWS::CloudWatch::Alarm')[0]!;
    const [, subscription] = ofType(template(), 'AWS::SNS::Subscription')[0]!;

    expect(alarm.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Period: 60,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: 'ForwarderAlertsTopic' }],
    });
    expect(subscription.Properties).toEqual({
      TopicArn: { Ref: 'ForwarderAlertsTopic' },
      Protocol: 'email',
      Endpoint: config.alertEmail,
    });
  });

  it("grants '*' only to the alarm reads that return composite alarms and to GetResources (no resource-level permissions), every other ARN in the env account", () => {
    for (const [id, s] of permissionStatements(template())) {
      for (const resource of list(s.Resource as unknown)) {
        if (resource === '*') {
          expect([
            ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
            ['tag:GetResources'],
          ]).toContainEqual(list(s.Action));
          continue;
        }
        if (typeof resource !== 'string') continue;
        if (resource === names.guardBusArn) continue;
        expect(resource, `${id} ${s.Sid}`).toMatch(
          new RegExp(`^arn:aws:[a-z]+:eu-west-1:${target.accountId}:`),
        );
      }
    }
  });
});

describe('the access roles grant exactly their functions calls', () => {
  it('dev: the alarm reads; tags of the configured prefix only', () => {
    const statements = policyOf(roleNamed(templates.dev!, names.environments.dev!.roleName));

    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], '*'],
      ['cloudwatch:ListTagsForResource', ['arn:aws:cloudwatch:eu-west-1:222222222222:alarm:leadout-dev-*']],
      ['tag:GetResources', '*'],
    ]);
  });

  it('prod: the configured tile services, their deployment groups and applications', () => {
    const statements = policyOf(roleNamed(templates.prod!, names.environments.prod!.roleName));
    const prod = 'eu-west-1:333333333333';

    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [
        ['ecs:DescribeServices', 'ecs:UpdateService'],
        [
          `arn:aws:ecs:${prod}:service/leadout-prod/tile-server`,
          `arn:aws:ecs:${prod}:service/leadout-prod/tile-worker`,
        ],
      ],
      [
        ['codedeploy:GetDeployment', 'codedeploy:GetDeploymentGroup', 'codedeploy:CreateDeployment'],
        [`arn:aws:codedeploy:${prod}:deploymentgroup:leadout-tiles/tile-worker-prod`],
      ],
      ['codedeploy:GetDeploymentConfig', `arn:aws:codedeploy:${prod}:deploymentconfig:*`],
      ['codedeploy:GetApplicationRevision', [`arn:aws:codedeploy:${prod}:application:leadout-tiles`]],
    ]);
  });
});

describe('the guard stack of stage accounts', () => {
  const assumes = (t: Template) =>
    permissionStatements(t).filter(([, s]) => list(s.Action).some((a) => a.startsWith('sts:')));

  it('lets only the four cross-account functions assume a role, and only the configured one', () => {
    const byRole = new Map<string, unknown[]>();
    for (const [id, s] of assumes(templates.guard!)) {
      expect(s.Effect).toBe('Allow');
      expect(list(s.Action)).toEqual(['sts:AssumeRole']);
      const policy = templates.guard!.Resources[id]!;
      const roles =
        policy.Type === 'AWS::IAM::Policy'
          ? (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref)
          : [id];
      for (const role of roles) byRole.set(role, [...(byRole.get(role) ?? []), ...list(s.Resource)]);
    }

    expect(Object.fromEntries(byRole)).toEqual({
      AlarmGateRole: [names.environments.dev!.roleArn],
      PromoteRole: [names.environments.dev!.roleArn],
      ReconcileRole: [names.environments.dev!.roleArn],
      TileRestartRole: [names.environments.prod!.roleArn],
    });
  });

  it("admits on its bus exactly the forwarders' rules: the Deny's exception and each account's Allow", () => {
    const policies = Object.fromEntries(ofType(templates.guard!, 'AWS::Events::EventBusPolicy'));
    const deny = policies.GuardEventBusPublishers!.Properties.Statement as Statement;
    const rulesOf = (env: Env) => names.environments[env]!.rules.map((r) => r.arn);

    expect(deny.Condition?.ArnNotEquals?.['aws:SourceArn']).toEqual([...rulesOf('dev'), ...rulesOf('prod')]);
    for (const env of ['dev', 'prod'] as const) {
      const Env = env === 'dev' ? 'Dev' : 'Prod';
      expect(policies[`GuardEventBusFrom${Env}Forwarder`]!.Properties.Statement).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${names.environments[env]!.accountId}:root` },
        Action: 'events:PutEvents',
        Condition: { ArnEquals: { 'aws:SourceArn': rulesOf(env) } },
      });
      // …and seen as the forwarder role's session (a rule target with a RoleArn), in the Deny's exception too.
      const forwarderRole = names.environments[env]!.forwarderRoleArn;
      expect(policies[`GuardEventBusFrom${Env}ForwarderRole`]!.Properties.Statement).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${names.environments[env]!.accountId}:root` },
        Condition: { ArnEquals: { 'aws:PrincipalArn': forwarderRole } },
      });
      expect(deny.Condition?.ArnNotEquals?.['aws:PrincipalArn']).toContain(forwarderRole);
      // The same ARNs the forwarder stack names its rules by.
      expect(ofType(templates[env]!, 'AWS::Events::Rule').map(([, r]) => r.Properties.Name)).toEqual(
        names.environments[env]!.rules.map((r) => r.name),
      );
    }
    expect(Object.keys(policies).sort()).toEqual([
      'GuardEventBusFromDevForwarder',
      'GuardEventBusFromDevForwarderRole',
      'GuardEventBusFromProdForwarder',
      'GuardEventBusFromProdForwarderRole',
      'GuardEventBusPublishers',
    ]);
  });
});

describe('forwarder.yml refuses what it cannot deploy', () => {
  const refusal = async (args: string[]) => {
    const failed = await run([
      'package',
      '--config',
      'forwarder.yml',
      ...args,
      '--package',
      join(work, 'refused'),
    ]).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failed, 'sls package succeeded').toBeDefined();
    return failed!;
  };

  it('a single-account stage (example): names the file and the missing key', async () => {
    expect(await refusal(['--stage', 'example', '--param=environment=dev'])).toContain(
      'StageConfigError: config/stages/example.yml has no environments.dev',
    );
  }, 60_000);

  it('a missing or unknown environment param', async () => {
    expect(await refusal(['--stage', STAGE])).toContain('pass --param="environment=dev"');
    expect(await refusal(['--stage', STAGE, '--param=environment=staging'])).toContain('(not "staging")');
  }, 60_000);
});
