import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

import { loadRuntime } from '../../config/runtime';
import { ConfigError, parseGuardConfig } from '../../config/schema';

/** The smallest configuration the guard accepts: one pipeline and where the Slack webhook lives. */
const minimal = () => ({
  slackWebhookParameter: '/leadout/release-guard/slack-webhook',
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
});

const deploymentEnv = () => ({
  GUARD_CONFIG: JSON.stringify(minimal()),
  GUARD_BUS_NAME: 'leadout-release-guard-dev',
  GUARD_BUS_ARN: 'arn:aws:events:eu-west-1:444455556666:event-bus/leadout-release-guard-dev',
  LEDGER_TABLE: 'leadout-release-guard-dev-ledger',
  SCHEDULE_GROUP: 'leadout-release-guard-dev',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::444455556666:role/leadout-release-guard-dev-scheduler',
  DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:444455556666:leadout-release-guard-dev-dead-letters',
});

/** Runs `parse` and returns the ConfigError it throws (failing the test if it does not throw one). */
function configErrorOf(parse: () => unknown): ConfigError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but the input was accepted');
}

describe('parseGuardConfig', () => {
  it('fills in the defaults: observe mode, 60 min bake, BakeGate between Dev and Prod, ignore INSUFFICIENT_DATA', () => {
    // Act
    const config = parseGuardConfig(minimal());

    // Assess
    expect(config).toMatchObject({
      mode: 'observe',
      bakeMinutes: 60,
      insufficientData: 'ignore',
      pipelines: [
        {
          name: 'leadout',
          devStage: 'Dev',
          prodStage: 'Prod',
          gateAction: 'BakeGate',
          devAlarms: { namePrefix: 'leadout-dev-' },
          tileServices: [],
        },
      ],
    });
    expect(config.pipelines[0]?.bakeMinutes).toBeUndefined();
  });

  it('reads alarms 5 at a time by default; alarmReadConcurrency is a whole number from 1 to 10', () => {
    expect(parseGuardConfig(minimal()).alarmReadConcurrency).toBe(5);
    expect(parseGuardConfig({ ...minimal(), alarmReadConcurrency: 1 }).alarmReadConcurrency).toBe(1);
    for (const bad of [0, 11, 2.5, '5']) {
      const error = configErrorOf(() => parseGuardConfig({ ...minimal(), alarmReadConcurrency: bad }));
      expect(error.issues[0]).toMatch(/^alarmReadConcurrency: /);
    }
  });

  it('keeps several pipelines with their own stages, gate and bake', () => {
    // Prepare
    const raw = {
      ...minimal(),
      mode: 'enforce',
      bakeMinutes: 45,
      pipelines: [
        { name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } },
        {
          name: 'leadout-tiles',
          devStage: 'Staging',
          prodStage: 'Production',
          gateAction: 'TileBake',
          bakeMinutes: 120,
          devAlarms: { tags: { team: 'tiles' } },
          tileServices: [{ cluster: 'tiles', services: ['tile-server-a', 'tile-server-b'] }],
        },
      ],
    };

    // Act
    const config = parseGuardConfig(raw);

    // Assess
    expect(config.mode).toBe('enforce');
    expect(config.bakeMinutes).toBe(45);
    expect(
      config.pipelines.map((p) => [p.name, p.devStage, p.prodStage, p.gateAction, p.bakeMinutes]),
    ).toEqual([
      ['leadout', 'Dev', 'Prod', 'BakeGate', undefined],
      ['leadout-tiles', 'Staging', 'Production', 'TileBake', 120],
    ]);
  });

  it.each([
    {
      key: 'pipelines.0.gateAction',
      raw: { ...minimal(), pipelines: [{ ...minimal().pipelines[0], gateAction: 'Bake Gate' }] },
    },
    { key: 'bakeMinutes', raw: { ...minimal(), bakeMinutes: 0 } },
    { key: 'bakeMinutes', raw: { ...minimal(), bakeMinutes: 7.5 } },
    { key: 'mode', raw: { ...minimal(), mode: 'enforcing' } },
    { key: 'insufficientData', raw: { ...minimal(), insufficientData: 'alarm' } },
    { key: 'slackWebhookParameter', raw: { pipelines: minimal().pipelines } },
    { key: 'pipelines.0.devAlarms', raw: { ...minimal(), pipelines: [{ name: 'leadout', devAlarms: {} }] } },
    {
      key: 'pipelines.0.codeDeployGroups.0.deploymentGroup',
      raw: {
        ...minimal(),
        pipelines: [{ ...minimal().pipelines[0], codeDeployGroups: [{ application: 'leadout-api' }] }],
      },
    },
    {
      key: 'pipelines.0.devAlarms.tags',
      raw: {
        ...minimal(),
        pipelines: [
          {
            name: 'leadout',
            devAlarms: { tags: Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, 'v'])) },
          },
        ],
      },
    },
    {
      key: 'pipelines.0.devAlarms.tags.team',
      raw: { ...minimal(), pipelines: [{ name: 'leadout', devAlarms: { tags: { team: 'x'.repeat(257) } } }] },
    },
  ])('names the bad key $key', ({ key, raw }) => {
    // Act
    const error = configErrorOf(() => parseGuardConfig(raw));

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.issues.some((issue) => issue.startsWith(`${key}: `))).toBe(true);
    expect(error.message).toContain(key);
  });

  it.each([
    { where: 'at the top level', raw: { ...minimal(), bakeMinute: 30 }, key: 'bakeMinute' },
    {
      where: 'in a pipeline',
      raw: { ...minimal(), pipelines: [{ ...minimal().pipelines[0], gate: 'BakeGate' }] },
      key: 'gate',
    },
  ])('rejects an unknown key $where, naming it', ({ raw, key }) => {
    // Act
    const error = configErrorOf(() => parseGuardConfig(raw));

    // Assess
    expect(error.message).toContain(`"${key}"`);
  });

  it('rejects two pipelines with the same name', () => {
    // Prepare
    const raw = { ...minimal(), pipelines: [...minimal().pipelines, ...minimal().pipelines] };

    // Act
    const error = configErrorOf(() => parseGuardConfig(raw));

    // Assess
    expect(error.message).toMatch(/pipelines: .*unique/);
  });
});

describe('loadRuntime', () => {
  it('reads the configuration and where the deployment put the guard’s resources', () => {
    // Act
    const runtime = loadRuntime(deploymentEnv());

    // Assess
    expect(runtime.config.pipelines[0]?.name).toBe('leadout');
    expect(runtime.deployment).toEqual({
      busName: 'leadout-release-guard-dev',
      busArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/leadout-release-guard-dev',
      ledgerTable: 'leadout-release-guard-dev-ledger',
      scheduleGroup: 'leadout-release-guard-dev',
      schedulerRoleArn: 'arn:aws:iam::444455556666:role/leadout-release-guard-dev-scheduler',
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:444455556666:leadout-release-guard-dev-dead-letters',
    });
  });

  it.each(['LEDGER_TABLE', 'SCHEDULER_ROLE_ARN', 'DEAD_LETTER_QUEUE_ARN', 'GUARD_CONFIG'] as const)(
    'names a missing %s',
    (name) => {
      // Prepare
      const env: Record<string, string | undefined> = deploymentEnv();
      delete env[name];

      // Act
      const error = configErrorOf(() => loadRuntime(env));

      // Assess
      expect(error.message).toContain(name);
    },
  );

  it('names each bad value: a non-ARN, a malformed hash, an empty name', () => {
    // Prepare
    const env = {
      ...deploymentEnv(),
      GUARD_BUS_ARN: 'leadout-release-guard-dev',
      GUARD_CONFIG_SHA256: 'abc',
      LEDGER_TABLE: '',
    };

    // Act
    const error = configErrorOf(() => loadRuntime(env));

    // Assess
    expect(error.issues).toEqual([
      'GUARD_CONFIG_SHA256: must be a hex SHA-256',
      'GUARD_BUS_ARN: must be an ARN (arn:…)',
      'LEDGER_TABLE: must not be empty',
    ]);
    expect(error.message).toMatch(/^Invalid release-guard environment: GUARD_CONFIG_SHA256/);
  });

  it('reports a GUARD_CONFIG that is not JSON as a ConfigError naming GUARD_CONFIG', () => {
    // Prepare
    const env = { ...deploymentEnv(), GUARD_CONFIG: "{ mode: 'enforce' }" };

    // Act
    const error = configErrorOf(() => loadRuntime(env));

    // Assess
    expect(error.issues).toEqual(['GUARD_CONFIG']);
    expect(error.message).toContain('GUARD_CONFIG is not JSON');
  });

  it('reports a bad key inside GUARD_CONFIG with its path', () => {
    // Prepare
    const env = { ...deploymentEnv(), GUARD_CONFIG: JSON.stringify({ ...minimal(), mode: 'loud' }) };

    // Act
    const error = configErrorOf(() => loadRuntime(env));

    // Assess
    expect(error.message).toContain('GUARD_CONFIG');
    expect(error.issues.some((issue) => issue.startsWith('mode: '))).toBe(true);
  });
});

describe('environments: Dev and Prod in accounts of their own', () => {
  const dev = {
    accountId: '222222222222',
    roleArn: 'arn:aws:iam::222222222222:role/leadout-release-guard-prod-dev-access',
    externalId: 'leadout-release-guard-prod-dev',
  };
  const deployment = { accountId: '111111111111', region: 'eu-west-1' };
  const withEnvironments = (environments: unknown) => ({ ...minimal(), environments });

  it('defaults to the guard’s own account: no environments, no roles', () => {
    // Act
    const config = parseGuardConfig(minimal());

    // Assess
    expect(config.environments).toEqual({});
  });

  it('accepts Dev and Prod with their roles, external ids and an optional region', () => {
    // Prepare
    const prod = {
      accountId: '333333333333',
      region: 'eu-central-1',
      roleArn: 'arn:aws:iam::333333333333:role/release/leadout-prod-access',
      externalId: 'a:b/c=d,e.f@g-h_i+j',
    };

    // Act
    const config = parseGuardConfig(withEnvironments({ deployment, dev, prod }));

    // Assess
    expect(config.environments).toEqual({ deployment, dev, prod });
  });

  it.each<[string, unknown, string]>([
    [
      'a malformed role ARN',
      { deployment, dev: { ...dev, roleArn: 'arn:aws:iam::222222222222:user/someone' } },
      'environments.dev.roleArn: an IAM role ARN',
    ],
    [
      'a role in another account than accountId',
      { deployment, dev: { ...dev, roleArn: 'arn:aws:iam::999999999999:role/x' } },
      'environments.dev.roleArn: the role is in account 999999999999, not in accountId 222222222222',
    ],
    [
      'an account id that is not 12 digits',
      { deployment, dev: { ...dev, accountId: '2222' } },
      'environments.dev.accountId',
    ],
    [
      'an external id STS refuses',
      { deployment, dev: { ...dev, externalId: 'has spaces' } },
      'environments.dev.externalId',
    ],
    ['a bad region', { deployment, dev: { ...dev, region: 'Frankfurt' } }, 'environments.dev.region'],
    ['no deployment account', { dev }, 'environments.deployment: name the account and region'],
    [
      'Dev in the guard’s own account',
      { deployment: { ...deployment, accountId: '222222222222' }, dev },
      "environments.dev.accountId: dev is the guard's own account",
    ],
    ['an unknown environment', { deployment, staging: dev }, 'environments'],
    [
      'Dev and Prod with one role',
      { deployment, dev, prod: { ...dev, accountId: '222222222222' } },
      'environments.prod.roleArn: Dev and Prod need roles of their own',
    ],
  ])('names the key of %s', (_, environments, expected) => {
    // Act
    const error = configErrorOf(() => parseGuardConfig(withEnvironments(environments)));

    // Assess
    expect(error.message).toContain(expected);
  });
});

describe('loadRuntime: the configuration sls package validated is not validated again', () => {
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const vars = createRequire(import.meta.url)('../../config/serverless-vars.cjs') as {
    guardVars: (stage: string, opts: object) => { environment: Record<string, string> };
  };

  it.each(['example', 'dev', 'accounts'])(
    'stage %s: the packaged GUARD_CONFIG, taken on its hash, is what validating it again gives',
    (stage) => {
      // Prepare
      const env = vars.guardVars(stage, {
        local: { region: 'eu-west-1', account: '111122223333' },
      }).environment;
      const revalidated = parseGuardConfig(JSON.parse(env.GUARD_CONFIG!));

      // Act
      const { config } = loadRuntime({ ...deploymentEnv(), ...env });

      // Assess
      expect(env.GUARD_CONFIG_SHA256).toBe(sha256(env.GUARD_CONFIG!));
      expect(config).toEqual(revalidated);
    },
  );

  it('takes a GUARD_CONFIG whose hash matches as validated, without validating it again', () => {
    // Prepare: a value only validation would refuse, under the hash of its own text
    const text = JSON.stringify({ ...minimal(), mode: 'loud' });

    // Act
    const { config } = loadRuntime({
      ...deploymentEnv(),
      GUARD_CONFIG: text,
      GUARD_CONFIG_SHA256: sha256(text),
    });

    // Assess
    expect(config.mode).toBe('loud');
  });

  it('validates a GUARD_CONFIG edited after packaging (its hash no longer matches)', () => {
    // Prepare
    const packaged = JSON.stringify(minimal());
    const edited = JSON.stringify({ ...minimal(), mode: 'loud' });

    // Act
    const error = configErrorOf(() =>
      loadRuntime({ ...deploymentEnv(), GUARD_CONFIG: edited, GUARD_CONFIG_SHA256: sha256(packaged) }),
    );

    // Assess
    expect(error.issues).toEqual([expect.stringContaining('mode')]);
  });
});

describe('parseGuardConfig of a parsed configuration', () => {
  it('gives back blue/green tile services unchanged (the form GUARD_CONFIG holds) and refuses a group of no service', () => {
    // Prepare
    const raw = {
      ...minimal(),
      pipelines: [
        {
          ...minimal().pipelines[0]!,
          tileServices: [
            {
              cluster: 'leadout-prod',
              services: [
                'tile-server',
                { name: 'tile-worker', codeDeploy: { application: 'a', deploymentGroup: 'g' } },
              ],
            },
          ],
        },
      ],
    };
    const parsed = parseGuardConfig(raw);

    // Act
    const again = parseGuardConfig(JSON.parse(JSON.stringify(parsed)));

    // Assess
    expect(again).toEqual(parsed);
    expect(parsed.pipelines[0]!.tileServices[0]!.codeDeploy).toEqual({
      'tile-worker': { application: 'a', deploymentGroup: 'g' },
    });
    const stray = JSON.parse(JSON.stringify(parsed)) as typeof parsed;
    stray.pipelines[0]!.tileServices[0]!.codeDeploy = { nope: { application: 'a', deploymentGroup: 'g' } };
    expect(configErrorOf(() => parseGuardConfig(stray)).message).toMatch(/codeDeploy names a service/);
  });
});
