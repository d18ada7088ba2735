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
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .flatMap(([id, r]) =>
      ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
        p.PolicyDocument.Statement.map((s) => [id, s] as [string, Statement]),
      ),
    );
}

describe('the packaged template (sls package --stage example)', () => {
  it('lets only the guard publishing roles and its Scheduler role put events on the guard bus', () => {
    // Prepare: the roles granted events:PutEvents on the guard bus
    const publishers = roleStatements()
      .filter(([, s]) => s.Effect === 'Allow' && list(s.Action).includes('events:PutEvents'))
      .filter(([, s]) => JSON.stringify(s.Resource) === JSON.stringify(getAtt('GuardEventBus')))
      .map(([id]) => id);
    const policies = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Events::EventBusPolicy',
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
