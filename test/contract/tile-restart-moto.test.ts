/**
 * The tile restart's AWS calls against moto_server: ECS (create a cluster and services, force a new deployment,
 * read it back), CodeDeploy (create a deployment from an earlier deployment's revision) and the ledger's
 * conditional writes on DynamoDB. moto 5.2.1 leaves `lastSuccessfulDeployment` of a deployment group empty (a
 * TODO in moto/codedeploy/models.py) and never finishes a deployment, so that one step is covered by the
 * simulator and the handler tests only. moto also answers CodeDeploy timestamps as ISO strings where AWS's JSON
 * protocol sends epoch seconds, which the SDK refuses: `epochTimestamps` converts them for these tests.
 */
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServicePrimaryTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { makeCodeDeployGateway } from '../../lib/aws/codedeploy';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { createLedgerTable } from '../support/ledger-table';
import { motoClientConfig } from '../support/moto';

const suffix = randomUUID().slice(0, 8);
const cluster = `leadout-prod-${suffix}`;
const REVISION = {
  revisionType: 'AppSpecContent' as const,
  appSpecContent: { content: '{"version":0.0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service"}}]}' },
};

/** Rewrites moto's ISO-string timestamps in CodeDeploy answers to the epoch seconds AWS sends. */
function epochTimestamps(client: CodeDeployClient): CodeDeployClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body: unknown };
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString();
      const fixed = text.replace(
        /"(\w+Time)": "([^"]+)"/g,
        (_, key: string, iso: string) => `"${key}": ${Date.parse(iso) / 1000}`,
      );
      response.body = new TextEncoder().encode(fixed);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'motoEpochTimestamps' },
  );
  return client;
}

describe('tile restarts on moto_server', () => {
  let ecsClient: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    ecsClient = new ECSClient(motoClientConfig(inject('motoEndpoint')));
    await ecsClient.send(new CreateClusterCommand({ clusterName: cluster }));
    const registered = await ecsClient.send(
      new RegisterTaskDefinitionCommand({
        family: `tile-server-${suffix}`,
        containerDefinitions: [{ name: 'tiles', image: 'leadout/tiles:1', memory: 512 }],
      }),
    );
    taskDefinition = registered.taskDefinition!.taskDefinitionArn!;
  });

  it('forces a new deployment of an ECS-controlled service and finds it PRIMARY when read back', async () => {
    // Prepare
    await ecsClient.send(
      new CreateServiceCommand({ cluster, serviceName: 'tile-server', taskDefinition, desiredCount: 2 }),
    );
    const ecs = makeEcsGateway(ecsClient);

    // Act
    const facts = await ecs.describeService(cluster, 'tile-server');
    const deploymentId = await ecs.forceNewDeployment(cluster, 'tile-server');

    // Assess
    expect(facts).toMatchObject({ controller: 'ECS', serviceArn: expect.stringContaining('tile-server') });
    expect(deploymentId).toMatch(/^ecs-svc\/\d+$/);
    const read = await ecsClient.send(new DescribeServicesCommand({ cluster, services: ['tile-server'] }));
    const primary = read.services?.[0]?.deployments?.find((d) => d.status === 'PRIMARY');
    expect(primary?.id).toBe(deploymentId);
  });

  it('reads the CodeDeploy deployment id of a blue/green service from its primary task set', async () => {
    // Prepare
    await ecsClient.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'tile-worker',
        taskDefinition,
        desiredCount: 1,
        deploymentController: { type: 'CODE_DEPLOY' },
      }),
    );
    const taskSet = await ecsClient.send(
      new CreateTaskSetCommand({
        cluster,
        service: 'tile-worker',
        taskDefinition,
        externalId: 'd-MOTO12345',
      }),
    );
    await ecsClient.send(
      new UpdateServicePrimaryTaskSetCommand({
        cluster,
        service: 'tile-worker',
        primaryTaskSet: taskSet.taskSet!.taskSetArn!,
      }),
    );

    // Act
    const facts = await makeEcsGateway(ecsClient).describeService(cluster, 'tile-worker');

    // Assess
    expect(facts).toMatchObject({ controller: 'CODE_DEPLOY', primaryCodeDeployId: 'd-MOTO12345' });
  });

  it('names a missing service instead of restarting nothing silently', async () => {
    // Act and Assess
    await expect(makeEcsGateway(ecsClient).describeService(cluster, 'no-such-service')).rejects.toThrow(
      /ECS service .*no-such-service: MISSING/,
    );
  });

  it('creates a CodeDeploy deployment of an earlier deployment revision in the same group', async () => {
    // Prepare
    const client = epochTimestamps(new CodeDeployClient(motoClientConfig(inject('motoEndpoint'))));
    const group = {
      applicationName: `AppECS-tiles-${suffix}`,
      deploymentGroupName: `DgpECS-tiles-${suffix}`,
    };
    await client.send(
      new CreateApplicationCommand({ applicationName: group.applicationName, computePlatform: 'ECS' }),
    );
    await client.send(
      new CreateDeploymentGroupCommand({
        ...group,
        serviceRoleArn: 'arn:aws:iam::123456789012:role/ecsCodeDeployRole',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: cluster, serviceName: 'tile-worker' }],
      }),
    );
    const first = await client.send(new CreateDeploymentCommand({ ...group, revision: REVISION }));
    const codedeploy = makeCodeDeployGateway(client);

    // Act
    const found = await codedeploy.groupOf(first.deploymentId!);
    const { deploymentInfo } = await client.send(
      new GetDeploymentCommand({ deploymentId: first.deploymentId! }),
    );
    const redeployed = await codedeploy.redeploy(
      found,
      deploymentInfo!.revision!,
      'release-guard: tile restart',
    );

    // Assess
    expect(found).toEqual({ application: group.applicationName, deploymentGroup: group.deploymentGroupName });
    // moto's deployment ids are UUIDs (AWS's are d-XXXXXXXXX).
    expect(redeployed).toEqual(expect.any(String));
    expect(redeployed).not.toBe(first.deploymentId);
    const again = await client.send(new GetDeploymentCommand({ deploymentId: redeployed }));
    expect(again.deploymentInfo).toMatchObject({ ...group, revision: REVISION });
  });
});

describe('the tile ledger conditional writes on moto DynamoDB', () => {
  it('gives one outcome per deployment, and finds the overdue restarts without one', async () => {
    // Prepare
    const client = new DynamoDBClient(motoClientConfig(inject('motoEndpoint')));
    const table = `ledger-${suffix}`;
    await createLedgerTable(client, table);
    const tiles = makeTileLedger(client, table);
    const ref = { pipeline: 'leadout', executionId: randomUUID(), cluster, service: 'tile-server' };
    const now = new Date('2026-05-12T10:58:01.000Z');

    // Act
    const beforeStart = await tiles.claimOutcome('ecs-svc/42', 'completed');
    await tiles.recordStarted({
      ...ref,
      controller: 'ECS',
      deploymentId: 'ecs-svc/42',
      startedAt: now.toISOString(),
      deadline: '2026-05-12T11:28:01.000Z',
    });
    const found = await tiles.findByDeployment('ecs-svc/42');
    const overdueBefore = await tiles.overdueRestarts(new Date('2026-05-12T11:40:00.000Z'));
    const outcomes = [
      await tiles.claimOutcome('ecs-svc/42', 'completed'),
      await tiles.claimOutcome('ecs-svc/42', 'failed'),
    ];

    // Assess
    expect(beforeStart).toBe(false);
    expect(overdueBefore.map((r) => r.deploymentId)).toContain('ecs-svc/42');
    expect(await tiles.overdueRestarts(new Date('2026-05-12T11:40:00.000Z'))).toEqual([]);
    expect(found).toMatchObject({ ...ref, deploymentId: 'ecs-svc/42', startedAt: now.toISOString() });
    expect(outcomes).toEqual([true, false]);
  });
});
