import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'guard-package-'));
let template: Template;

beforeAll(async () => {
  // The real packaging, into its own directory (nothing else's .serverless is touched).
  await promisify(execFile)(
    `${root}node_modules/.bin/sls`,
    ['package', '--stage', 'example', '--package', out],
    { cwd: root, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
  );
  template = JSON.parse(
    readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
}, 180_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

function roleStatements(): [string, Statement][] {
  const inline = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .flatMap(([id, r]) =>
      ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
        p.PolicyDocument.Statement.map((s) => [id, s] as [string, Statement]),
      ),
    );
  // Policies attached to a role from elsewhere (infra/slack-controls.yml adds one to CommandRole) count too.
  const attached = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) =>
      (r.Properties.Roles as { Ref: string }[]).flatMap(({ Ref }) =>
        (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map(
          (s) => [Ref, s] as [string, Statement],
        ),
      ),
    );
  return [...inline, ...attached];
}

describe('the packaged template (sls package --stage example)', () => {
  // Packaged once, here: cross-account-template.test.ts packages the stage accounts only.
  it('single-account stage example: no sts:AssumeRole and no forwarder in its bus policy', () => {
    const policies = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::Events::EventBusPolicy',
    );
    const assumes = roleStatements().filter(([, s]) => list(s.Action).some((a) => a.startsWith('sts:')));

    expect(assumes).toEqual([]);
    // The publishers' Deny, and (config slack) the one that keeps SlackCommandRequested to the Slack endpoint.
    expect(policies.map(([id]) => id).sort()).toEqual([
      'GuardEventBusPublishers',
      'GuardEventBusSlackCommandsOnlyFromEndpoint',
    ]);
    const deny = policies.find(([id]) => id === 'GuardEventBusPublishers')![1].Properties
      .Statement as Statement;
    expect(Object.keys(deny.Condition!.ArnNotEquals!)).toEqual(['aws:PrincipalArn']);
  });

  it('lets only the guard publishing roles and its Scheduler role put events on the guard bus', () => {
    // Prepare: the roles granted events:PutEvents on the guard bus
    const publishers = roleStatements()
      .filter(([, s]) => s.Effect === 'Allow' && list(s.Action).includes('events:PutEvents'))
      .filter(([, s]) => JSON.stringify(s.Resource) === JSON.stringify(getAtt('GuardEventBus')))
      .map(([id]) => id);
    // The publishers' statement (the Slack endpoint's own detail type has a second one: tested below).
    const policies = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::Events::EventBusPolicy' && r.Properties.StatementId === 'only-the-guard-publishes',
    );

    // Assess: one Deny for everyone else, the account root included (no principal exception)
    expect(publishers).toContain('BakeTimerSchedulerRole');
    expect(publishers).not.toContain('NotifyRole');
    expect(policies).toHaveLength(1);
    const policy = policies[0]!.Properties;
    expect(policy.EventBusName).toEqual({ Ref: 'GuardEventBus' });
    const statement = policy.Statement as Statement;
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: getAtt('GuardEventBus'),
    });
    expect(Object.keys(statement.Condition ?? {})).toEqual(['ArnNotEquals']);
    const allowed = list(statement.Condition!.ArnNotEquals!['aws:PrincipalArn']) as unknown[];
    expect(allowed.map((a) => (a as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).sort()).toEqual(
      [...new Set(publishers)].sort(),
    );
  });

  it('lets CodeDeploy writes reach only the deployment groups configured for tile services', () => {
    const writes = roleStatements().filter(([, s]) =>
      list(s.Action).some((a) => /^codedeploy:(Create|Stop|Continue|Update|Delete|Put|Register)/.test(a)),
    );

    expect(writes.map(([id]) => id)).toEqual(['TileRestartRole']);
    for (const [, s] of writes) {
      const resources = JSON.stringify(s.Resource);
      expect(resources).not.toContain('*');
      // The example stage configures no blue/green tile service: a group no deployment has.
      expect(s.Resource).toEqual([
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:no-tile-codedeploy/configured',
        },
      ]);
    }
  });

  it('lets only the Dev alarm readers find tagged alarms (tag:GetResources on *), and only the alarm gate read one alarm’s tags', () => {
    const granted = (action: string) =>
      roleStatements()
        .filter(([, s]) => s.Effect === 'Allow' && list(s.Action).includes(action))
        .map(([id, s]) => [id, s.Resource]);

    // GetResources supports no resource-level permissions: "*" is the only resource it can be granted on.
    expect(granted('tag:GetResources').sort()).toEqual([
      ['AlarmGateRole', '*'],
      ['PromoteRole', '*'],
      ['ReconcileRole', '*'],
    ]);
    expect(granted('cloudwatch:ListTagsForResource').map(([id]) => id)).toEqual(['AlarmGateRole']);
  });

  it('lets the metrics role create metric claims only (partition metric#…), nothing else in the ledger', () => {
    const dynamo = roleStatements().filter(
      ([id, s]) => id === 'MetricsRole' && list(s.Action).some((a) => a.startsWith('dynamodb:')),
    );

    expect(dynamo).toHaveLength(1);
    const [, s] = dynamo[0]!;
    expect(s.Action).toBe('dynamodb:PutItem');
    expect(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual(['metric#*']);
  });
});

/**
 * Who may write what in the ledger table (docs/design.md "Who may write what", lib/aws/partitions.ts): each
 * function × the partitions its role may write, as `dynamodb:LeadingKeys` patterns. The alarm gate and the
 * reconciler share `journal#gate#*` on purpose: they key an observe-mode block and a transition left disabled
 * alike, so each is announced once.
 */
const WRITE_MATRIX: Record<string, string[]> = {
  alarmGate: ['journal#gate#*', 'attempts#alarm-gate'],
  bakeStart: ['release#*', 'journal#bake-start#*', 'attempts#bake-start'],
  bakeTimerSweep: [],
  codedeployReport: ['rollback#*', 'journal#codedeploy-report#*'],
  command: ['hold#*', 'override#*', 'journal#command#*', 'attempts#command', '#slack-actions'],
  metrics: ['metric#*'],
  history: ['history#*', 'historykey#*'],
  notify: ['#notifications'],
  promote: ['journal#promote#*', 'attempts#promote'],
  reconcile: ['journal#gate#*', 'attempts#reconcile', 'swept#*'],
  rollback: ['restore#*', 'journal#rollback#*', 'attempts#rollback'],
  slackControls: ['#slack-signatures'],
  tileFollow: ['#tile-deployments', 'journal#tile-follow#*'],
  tileRestart: ['tile#*', '#tile-deployments', 'journal#tile-restart#*', 'attempts#tile-restart'],
};

const ITEM_WRITES = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'PartiQLInsert',
  'PartiQLUpdate',
  'PartiQLDelete',
];
/** IAM's StringLike (case-sensitive): `*` any run of characters, `?` one. */
const globMatches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
/** An IAM action or action pattern (`*`, `dynamodb:*`, `dynamodb:Put*`) that writes ledger items. */
const grantsWrite = (action: string) => ITEM_WRITES.some((op) => globMatches(action, `dynamodb:${op}`));

const LEADING_KEYS_OPERATORS = ['ForAllValues:StringLike', 'ForAllValues:StringEquals'];

/** Each function's write statements on the ledger table (or on `*`), by the role its Lambda function runs as. */
function ledgerWrites(): Record<string, Statement[]> {
  const roleOf = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => [
        (r.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
        id.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase()),
      ]),
  );
  const writes: Record<string, Statement[]> = Object.fromEntries(Object.values(roleOf).map((f) => [f, []]));
  for (const [role, s] of roleStatements()) {
    if (s.Effect !== 'Allow' || !list(s.Action).some(grantsWrite)) continue;
    const resources = list(s.Resource as unknown).map((r) => JSON.stringify(r));
    if (!resources.some((r) => r === '"*"' || r === JSON.stringify(getAtt('ReleaseLedgerTable')))) continue;
    const fn = roleOf[role];
    expect(fn, `${role} writes the ledger but runs no function`).toBeDefined();
    writes[fn!]!.push(s);
  }
  return writes;
}

/** The partitions a write statement is limited to; undefined when nothing limits it. */
function leadingKeys(s: Statement): string[] | undefined {
  const conditions = Object.entries(s.Condition ?? {}).filter(([, c]) => 'dynamodb:LeadingKeys' in c);
  if (conditions.length === 0) return undefined;
  return conditions.flatMap(([op, c]) => {
    expect(LEADING_KEYS_OPERATORS, `${s.Sid}: ${op} does not limit every key`).toContain(op);
    return list(c['dynamodb:LeadingKeys'] as string | string[]);
  });
}

describe('who may write what in the ledger table (the packaged roles)', () => {
  it('gives no function an unconditioned write to the ledger table', () => {
    for (const [fn, statements] of Object.entries(ledgerWrites())) {
      for (const s of statements) expect(leadingKeys(s), `${fn} ${s.Sid}`).toBeDefined();
    }
  });

  it('lets each function write exactly the partitions of its record kinds', () => {
    const granted = Object.fromEntries(
      Object.entries(ledgerWrites()).map(([fn, statements]) => [
        fn,
        [...new Set(statements.flatMap((s) => leadingKeys(s) ?? ['<any partition>']))].sort(),
      ]),
    );

    expect(granted).toEqual(
      Object.fromEntries(Object.entries(WRITE_MATRIX).map(([fn, keys]) => [fn, [...keys].sort()])),
    );
  });

  it.each([
    ['restore#leadout', ['rollback']],
    ['release#leadout', ['bakeStart']],
    ['journal#promote#leadout', ['promote']],
    ['journal#rollback#leadout', ['rollback']],
    ['journal#gate#leadout', ['alarmGate', 'reconcile']],
    // People's holds: only the command function (promote reads them).
    ['hold#leadout', ['command']],
    // A person's promote-now, which alone lets an unbaked execution through: only the command function.
    ['override#leadout', ['command']],
    // Slack: the endpoint's replay marks, and the command function's once-per-click claims.
    ['#slack-signatures', ['slackControls']],
    ['#slack-actions', ['command']],
    // A pipeline's own partition, where records lived before kind prefixes (read as a fallback): nobody.
    ['leadout', []],
  ])('lets only the owners write partition %s', (partition, owners) => {
    const writers = Object.entries(ledgerWrites())
      .filter(([, statements]) =>
        statements.some((s) => (leadingKeys(s) ?? ['*']).some((k) => globMatches(k, partition))),
      )
      .map(([fn]) => fn);

    expect(writers.sort()).toEqual(owners);
  });
});

describe('the Slack endpoint (infra/slack-controls.yml, config slack of the example stage)', () => {
  const statementsOf = (role: string) =>
    roleStatements()
      .filter(([id]) => id === role)
      .map(([, s]) => s);

  it('is a function URL without IAM auth (Slack signs instead), its URL an output', () => {
    const url = template.Resources.SlackControlsLambdaFunctionUrl;
    expect(url?.Properties).toMatchObject({
      AuthType: 'NONE',
      TargetFunctionArn: getAtt('SlackControlsLambdaFunction'),
    });
    // Anyone may call the URL (Slack's signature decides), but nobody may invoke the function other than through it.
    expect(template.Resources.SlackControlsLambdaPermissionFn?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      InvokedViaFunctionUrl: true,
    });
    const outputs = (template as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs.SlackControlsUrl?.Value).toEqual({
      'Fn::GetAtt': ['SlackControlsLambdaFunctionUrl', 'FunctionUrl'],
    });
  });

  it('may put only SlackCommandRequested events of the guard on its bus, read only its two parameters', () => {
    const statements = statementsOf('SlackControlsRole');

    const actions = statements.flatMap((s) => list(s.Action)).sort();
    expect(actions).toEqual([
      'dynamodb:PutItem',
      'events:PutEvents',
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ssm:GetParameter',
    ]);
    const put = statements.find((s) => list(s.Action).includes('events:PutEvents'))!;
    expect(put.Resource).toEqual(getAtt('GuardEventBus'));
    expect(put.Condition).toEqual({
      StringEquals: {
        'events:detail-type': 'SlackCommandRequested',
        'events:source': 'leadout.release-guard',
      },
    });
    const ssm = statements.find((s) => list(s.Action).includes('ssm:GetParameter'))!;
    expect(ssm.Resource).toEqual(
      ['slack-signing-secret', 'slack-bot-token'].map((name) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/leadout/release-guard/${name}`,
      })),
    );
    const kms = statements.find((s) => list(s.Action).includes('kms:Decrypt'))!;
    expect(kms.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
    const dynamo = statements.find((s) => list(s.Action).includes('dynamodb:PutItem'))!;
    expect(dynamo.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#slack-signatures'] },
    });
  });

  it('lets no other principal put SlackCommandRequested on the guard bus (the command function trusts it as verified)', () => {
    const policy = template.Resources.GuardEventBusSlackCommandsOnlyFromEndpoint?.Properties as
      { Statement: { Effect: string; Action: string; Condition: unknown } } | undefined;
    expect(policy?.Statement).toMatchObject({ Effect: 'Deny', Action: 'events:PutEvents' });
    expect(policy?.Statement.Condition).toEqual({
      StringEquals: { 'events:detail-type': 'SlackCommandRequested' },
      ArnNotEquals: { 'aws:PrincipalArn': getAtt('SlackControlsRole') },
    });
  });

  it('keeps the secrets out of the template and the environment', () => {
    const fn = template.Resources.SlackControlsLambdaFunction!;
    const env = JSON.stringify(fn.Properties.Environment);
    expect(env).not.toMatch(/xoxb-|signingSecret"\s*:\s*"[0-9a-f]{32}/);
    expect(JSON.stringify(template)).not.toMatch(/xoxb-/);
  });

  it('is alarmed like every function, and the command function takes its events', () => {
    expect(template.Resources.SlackControlsErrorsAlarm?.Type).toBe('AWS::CloudWatch::Alarm');
    expect(template.Resources.SlackControlsInvalidEventsMetricFilter?.Type).toBe('AWS::Logs::MetricFilter');
    const rules = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::Events::Rule' &&
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('SlackCommandRequested'),
    );
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0]!.Properties.Targets)).toContain('CommandLambdaFunction');
  });
});
