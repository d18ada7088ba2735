/**
 * The assumed-role path against moto_server: the guard's alarm reader and ECS gateway built on clients whose
 * credentials come from lib/aws/assumed-role.ts (the SDK's fromTemporaryCredentials, STS AssumeRole with the
 * external id). moto implements AssumeRole and hands back credentials of the role's account, so what those clients
 * see is the other account (moto keeps each account's resources apart): the Dev alarms are visible through the
 * role and not with the guard's own credentials. moto checks no trust policy or external id (an AccessDenied path
 * is the simulator's: simulator/scenarios/accounts/dev-role-*.yml).
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { assumedRoleCredentials, type AccountTarget } from '../../lib/aws/assumed-role';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { awsClientIn } from '../../lib/aws/clients-in-account';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { motoClientConfig } from '../support/moto';

const DEV_ACCOUNT = '222233334444';
const PROD_ACCOUNT = '333344445555';
const suffix = randomUUID().slice(0, 8);
const prefix = `leadout-dev-${suffix}-`;
const dev: AccountTarget = {
  environment: 'dev',
  accountId: DEV_ACCOUNT,
  roleArn: `arn:aws:iam::${DEV_ACCOUNT}:role/leadout-release-guard-test-dev-access`,
  externalId: 'leadout-release-guard-test-dev',
};
const prod: AccountTarget = {
  environment: 'prod',
  accountId: PROD_ACCOUNT,
  roleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/leadout-release-guard-test-prod-access`,
  externalId: 'leadout-release-guard-test-prod',
};

/** A plugin on the provider's own STS client that records every AssumeRole it sends. */
function countingAssumeRoles() {
  const calls: { RoleArn?: string; ExternalId?: string; RoleSessionName?: string }[] = [];
  const plugin = {
    applyToStack(stack: { add: (mw: unknown, options: unknown) => void }) {
      stack.add(
        (next: (args: { input: never }) => Promise<unknown>) => async (args: { input: never }) => {
          calls.push(args.input);
          return next(args);
        },
        // fromTemporaryCredentials applies its plugins on every call: the same middleware, replaced.
        { step: 'initialize', name: 'countAssumeRole', override: true },
      );
    },
  };
  return { calls, plugins: [plugin] as never };
}

/** The other account's own credentials, to set up its resources as its owner would. */
async function ownerOf(account: string) {
  const sts = new STSClient(motoClientConfig(inject('motoEndpoint')));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/admin`, RoleSessionName: 'setup' }),
  );
  return {
    ...motoClientConfig(inject('motoEndpoint')),
    credentials: {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken,
    },
  };
}

describe('assumed-role clients against moto_server', () => {
  beforeAll(async () => {
    const cloudwatch = new CloudWatchClient(await ownerOf(DEV_ACCOUNT));
    // Tagged for the tag selector (moto's GetResources covers cloudwatch:alarm): one team's alarm, and another's.
    for (const [name, team] of [
      ['api-5xx', 'maps'],
      ['latency-p99', 'batch'],
    ] as const) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${prefix}${name}`,
          Namespace: 'LeadOut/Dev',
          MetricName: name,
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
          Tags: [
            { Key: 'team', Value: team },
            { Key: 'run', Value: suffix },
          ],
        }),
      );
    }
    const ecs = new ECSClient(await ownerOf(PROD_ACCOUNT));
    await ecs.send(new CreateClusterCommand({ clusterName: `leadout-prod-${suffix}` }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tile-server',
        containerDefinitions: [{ name: 'tiles', image: 'leadout/tiles:1', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: `leadout-prod-${suffix}`,
        serviceName: 'tile-server',
        taskDefinition: 'tile-server',
        desiredCount: 1,
      }),
    );
  });

  it('reads the Dev alarms through the Dev role, which the guard account itself does not see', async () => {
    // Prepare
    const sts = countingAssumeRoles();
    const credentials = assumedRoleCredentials(dev, {
      sessionName: 'release-guard-alarmGate',
      stsConfig: motoClientConfig(inject('motoEndpoint')),
      stsPlugins: sts.plugins,
    });
    const viaRole = { ...motoClientConfig(inject('motoEndpoint')), credentials };
    const throughRole = makeAlarmReader(
      new CloudWatchClient(viaRole),
      new ResourceGroupsTaggingAPIClient(viaRole),
    );
    const ownConfig = motoClientConfig(inject('motoEndpoint'));
    const ownAccount = makeAlarmReader(
      new CloudWatchClient(ownConfig),
      new ResourceGroupsTaggingAPIClient(ownConfig),
    );

    // Act
    const seen = await throughRole.selectedAlarms({ namePrefix: prefix });
    const seenAgain = await throughRole.selectedAlarms({ namePrefix: prefix });
    const own = await ownAccount.selectedAlarms({ namePrefix: prefix });

    // Assess
    expect(seen.map((a) => a.name).sort()).toEqual([`${prefix}api-5xx`, `${prefix}latency-p99`]);
    expect(seen[0]?.arn).toContain(`:${DEV_ACCOUNT}:alarm:`);
    expect(seenAgain).toHaveLength(2);
    expect(own).toEqual([]);
    // One STS call for both reads (credentials kept until shortly before they expire), with the external id.
    expect(sts.calls).toEqual([
      expect.objectContaining({
        RoleArn: dev.roleArn,
        ExternalId: dev.externalId,
        RoleSessionName: 'release-guard-alarmGate',
        DurationSeconds: 3600,
      }),
    ]);
  });

  it('assumes the role again only when its credentials are 5 minutes from expiring', async () => {
    // Prepare: a clock the test moves
    let now = Date.now();
    const sts = countingAssumeRoles();
    const credentials = assumedRoleCredentials(dev, {
      sessionName: 'release-guard-promote',
      stsConfig: motoClientConfig(inject('motoEndpoint')),
      stsPlugins: sts.plugins,
      now: () => now,
    });

    // Act
    await credentials();
    now += 54 * 60_000;
    await credentials();
    now += 2 * 60_000;
    await credentials();

    // Assess: at 54 min the hour-long credentials still had 6 min; at 56 min they had 4
    expect(sts.calls).toHaveLength(2);
  });

  it('describes a tile service in the Prod account through the Prod role', async () => {
    // Prepare
    const credentials = assumedRoleCredentials(prod, {
      sessionName: 'release-guard-tileRestart',
      stsConfig: motoClientConfig(inject('motoEndpoint')),
    });
    const throughRole = makeEcsGateway(
      new ECSClient({ ...motoClientConfig(inject('motoEndpoint')), credentials }),
    );
    const ownAccount = makeEcsGateway(new ECSClient(motoClientConfig(inject('motoEndpoint'))));

    // Act
    const service = await throughRole.describeService(`leadout-prod-${suffix}`, 'tile-server');
    const own = ownAccount.describeService(`leadout-prod-${suffix}`, 'tile-server');

    // Assess
    expect(service.serviceArn).toContain(`:${PROD_ACCOUNT}:service/leadout-prod-${suffix}/tile-server`);
    await expect(own).rejects.toThrow(/Cluster not found/);
  });

  it('wires it as the handlers do: awsClient(…, target) reads the Dev account with the guard’s own settings', async () => {
    // Prepare: the Lambda's environment, pointed at moto (the SDK reads AWS_ENDPOINT_URL for every client)
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: inject('motoEndpoint'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_LAMBDA_FUNCTION_NAME: 'leadout-release-guard-test-alarmGate',
    });
    try {
      const reader = makeAlarmReader(
        awsClientIn(CloudWatchClient, 'cloudwatch', dev),
        awsClientIn(ResourceGroupsTaggingAPIClient, 'tagging', dev),
      );

      // Act
      const seen = await reader.selectedAlarms({ namePrefix: prefix });
      const maps = await reader.selectedAlarms({ tags: { team: 'maps', run: suffix } });
      const byBoth = await reader.selectedAlarms({ namePrefix: prefix, tags: { team: 'batch' } });

      // Assess
      expect(seen.map((a) => a.name).sort()).toEqual([`${prefix}api-5xx`, `${prefix}latency-p99`]);
      // GetResources in the Dev account (the same role): the tagged alarms, by ARN, joined with DescribeAlarms.
      expect(maps.map((a) => a.name)).toEqual([`${prefix}api-5xx`]);
      expect(byBoth.map((a) => a.name)).toEqual([`${prefix}latency-p99`]);
    } finally {
      process.env = saved;
    }
  });
});
