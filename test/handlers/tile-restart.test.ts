import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeServicesCommand,
  ECSClient,
  ServiceNotActiveException,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { makeHandler } from '../../handlers/tile-restart/make-handler';
import { makeCodeDeployGateway } from '../../lib/aws/codedeploy';
import { makeEcsGateway } from '../../lib/aws/ecs';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { guardActor, invoker, mockedAws, REGION, releaseLedger, rollbackLedger } from './clients';
import { tileExecutors } from '../../lib/effects/tile';
import { loadEvent } from '../fixtures/load';
import {
  expectNoAwsCall,
  acceptPutEvents,
  captureLogger,
  deployment,
  emitted,
  expectDroppedInvalid,
  failPutEventsOnce,
  guardConfig,
} from './harness';
import { journalOf, ledgerTable, lostResponse, type LedgerTable } from './table';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';
const NOW = new Date('2026-05-12T10:58:01.000Z');
const NEW_DEPLOYMENT = 'ecs-svc/8270115964403385921';
const OLD_DEPLOYMENT = 'ecs-svc/5523014887761092384';
const GROUP = {
  applicationName: 'AppECS-leadout-prod-tile-server',
  deploymentGroupName: 'DgpECS-leadout-prod-tile-server',
};
const REVISION = {
  revisionType: 'AppSpecContent' as const,
  appSpecContent: { content: '{"version":0.0,"Resources":[]}', sha256: 'a1b2' },
};

const { ecs, codeDeploy, dynamo, eventBridge, all: mocks } = mockedAws();

const tileConfig = (change: Record<string, unknown> = {}): GuardConfig =>
  guardConfig({
    pipelines: [
      {
        name: 'leadout',
        devAlarms: { namePrefix: 'leadout-dev-' },
        tileServices: [{ cluster: 'leadout-prod', services: ['tile-server', 'tile-worker'] }],
      },
    ],
    ...change,
  });

function prepare(config: GuardConfig = tileConfig()) {
  const log = captureLogger();
  const dynamoClient = new DynamoDBClient(REGION);
  const handler = makeHandler({
    config,
    ecs: makeEcsGateway(new ECSClient(REGION)),
    releases: releaseLedger(dynamoClient),
    restores: rollbackLedger(dynamoClient),
    actor: guardActor(
      'tile-restart',
      tileExecutors({
        ecs: makeEcsGateway(new ECSClient(REGION)),
        codedeploy: makeCodeDeployGateway(new CodeDeployClient(REGION)),
        tiles: makeTileLedger(dynamoClient, deployment.ledgerTable),
      }),
      log.logger,
      () => NOW,
      dynamoClient,
    ),
    logger: log.logger,
    now: () => NOW,
  });
  return { invoke: invoker(handler), log };
}

function service(name: string, controller: string, extra: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: `arn:aws:ecs:eu-west-1:444455556666:service/leadout-prod/${name}`,
    status: 'ACTIVE',
    deploymentController: { type: controller as 'ECS' },
    ...extra,
  };
}

const describing = (controller: string, extra: Partial<Service> = {}) =>
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: [service(input.services[0]!, controller, extra)],
  }));

const puts = () => dynamo.commandCalls(PutItemCommand).map((c) => unmarshall(c.args[0].input.Item ?? {}));

let table: LedgerTable;
const SERVER_KEY = `leadout tile-restart ${E} leadout-prod tile-server`;

beforeEach(() => {
  table = ledgerTable(dynamo, [
    marshall({ pipeline: 'release#leadout', executionId: E, commitId: COMMIT, commitMessage: 'Tile labels' }),
  ]);
  describing('ECS');
  ecs.on(UpdateServiceCommand).callsFake((input: { service: string }) => ({
    service: service(input.service, 'ECS', {
      deployments: [
        { id: NEW_DEPLOYMENT, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
        { id: OLD_DEPLOYMENT, status: 'ACTIVE', rolloutState: 'COMPLETED' },
      ],
    }),
  }));
  acceptPutEvents(eventBridge);
});

describe('tile-restart on a Prod success', () => {
  it('forces a new deployment of each ECS-controlled tile service and announces its PRIMARY deployment', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 2);
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'leadout-prod',
      service: 'tile-server',
      forceNewDeployment: true,
    });
    expect(codeDeploy).not.toHaveReceivedAnyCommand();
    const started = emitted(eventBridge);
    expect(started.map((e) => e.detailType)).toEqual(['TileRestartStarted', 'TileRestartStarted']);
    expect(started[0]?.detail).toEqual({
      pipeline: 'leadout',
      executionId: E,
      commitId: COMMIT,
      commitMessage: 'Tile labels',
      cluster: 'leadout-prod',
      service: 'tile-server',
      controller: 'ECS',
      mode: 'enforce',
      deploymentId: NEW_DEPLOYMENT,
      startedAt: '2026-05-12T10:58:01.000Z',
      deadline: '2026-05-12T11:28:01.000Z',
      decisionKey: `leadout tile-restart ${E} leadout-prod tile-server`,
      effects: [
        {
          effect: 'restart-service',
          call: 'ecs.UpdateService',
          resource: 'ECS service leadout-prod/tile-server',
          outcome: 'done',
        },
        {
          effect: 'record-deployment',
          call: 'dynamodb.PutItem',
          resource: "the guard's record of the restart of leadout-prod/tile-server",
          outcome: 'done',
        },
      ],
    });
  });

  it('records the intent under the journal key (E, service) before restarting, then records the deployment id', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      ConditionExpression: 'attribute_not_exists(executionId)',
      Item: expect.objectContaining({ executionId: { S: `announce#${SERVER_KEY}` } }),
    });
    expect(puts().map((p) => p.executionId)).not.toContain(`tile#${E}#leadout-prod#tile-server`);
    expect(puts()).toContainEqual(
      expect.objectContaining({
        pipeline: '#tile-deployments',
        executionId: NEW_DEPLOYMENT,
        restartPipeline: 'leadout',
        restartOf: E,
        service: 'tile-server',
        startedAt: '2026-05-12T10:58:01.000Z',
      }),
    );
    expect(journalOf(table, 'tile-restart', 'leadout', SERVER_KEY)).toMatchObject({
      state: 'announced',
      attempt: 1,
    });
  });

  it('restarts nothing and stays silent on a duplicate Prod success (the journal items are announced)', async () => {
    // Prepare
    const { invoke } = prepare();
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 2);
    expect(emitted(eventBridge)).toHaveLength(2);
  });

  it('PutEvents fails after the first restart: the retry restarts nothing twice and announces each service once', async () => {
    // Prepare: PutEvents fails once.
    failPutEventsOnce(eventBridge);
    const { invoke } = prepare();
    await expect(invoke(loadEvent('codepipeline/stage-prod-succeeded'))).rejects.toThrow();
    expect(journalOf(table, 'tile-restart', 'leadout', SERVER_KEY).state).toBe('acted');

    // Act: EventBridge retries the same event.
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess: one restart per service; tile-server's stored announcement went out again, then tile-worker's.
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 2);
    const [failed, ...rest] = emitted(eventBridge);
    expect(rest).toHaveLength(2);
    expect(rest[0]).toEqual(failed);
    expect(rest.map((e) => (e.detail as { decisionKey: string }).decisionKey)).toEqual([
      SERVER_KEY,
      `leadout tile-restart ${E} leadout-prod tile-worker`,
    ]);
  });

  it('UpdateService took effect but its response was lost (TimeoutError): the retry finds the new PRIMARY deployment and announces once, never forcing twice', async () => {
    // Prepare
    ecs.on(UpdateServiceCommand, { service: 'tile-server' }).rejectsOnce(lostResponse());
    const { invoke } = prepare();
    await expect(invoke(loadEvent('codepipeline/stage-prod-succeeded'))).rejects.toMatchObject({
      name: 'TransientAwsError',
    });
    expect(journalOf(table, 'tile-restart', 'leadout', SERVER_KEY)).toMatchObject({
      state: 'pending',
      attempt: 1,
    });
    // ECS did start the deployment: DescribeServices shows it as PRIMARY, created after the intent.
    describing('ECS', {
      deployments: [
        { id: NEW_DEPLOYMENT, status: 'PRIMARY', rolloutState: 'IN_PROGRESS', createdAt: NOW },
        { id: OLD_DEPLOYMENT, status: 'ACTIVE', rolloutState: 'COMPLETED' },
      ],
    });

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs.commandCalls(UpdateServiceCommand, { service: 'tile-server' })).toHaveLength(1);
    const server = emitted(eventBridge).filter(
      (e) => (e.detail as { service: string }).service === 'tile-server',
    );
    expect(server).toMatchObject([
      {
        detailType: 'TileRestartStarted',
        detail: {
          deploymentId: NEW_DEPLOYMENT,
          decisionKey: SERVER_KEY,
          effects: [{ effect: 'restart-service', outcome: 'already-done' }, { outcome: 'done' }],
        },
      },
    ]);
    expect(journalOf(table, 'tile-restart', 'leadout', SERVER_KEY)).toMatchObject({
      state: 'announced',
      attempt: 2,
    });
  });

  /** Blue/green services with their deployment group configured: the guard may deploy only there. */
  const blueGreen = () =>
    tileConfig({
      pipelines: [
        {
          name: 'leadout',
          devAlarms: { namePrefix: 'leadout-dev-' },
          tileServices: [
            {
              cluster: 'leadout-prod',
              services: ['tile-server', 'tile-worker'].map((name) => ({
                name,
                codeDeploy: {
                  application: GROUP.applicationName,
                  deploymentGroup: GROUP.deploymentGroupName,
                },
              })),
            },
          ],
        },
      ],
    });

  it('restarts no CODE_DEPLOY service whose deployment group is not configured, naming the key', async () => {
    // Prepare
    describing('CODE_DEPLOY', {
      taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', externalId: 'd-CURRENT01' }],
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(codeDeploy).not.toHaveReceivedAnyCommand();
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'TileRestartFailed',
      detail: {
        reason: 'start-failed',
        detail: expect.stringContaining('pipelines.0.tileServices') as string,
      },
    });
  });

  it('redeploys the deployment group last successful revision for a CODE_DEPLOY service', async () => {
    // Prepare
    describing('CODE_DEPLOY', {
      taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', externalId: 'd-CURRENT01' }],
    });
    codeDeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-CURRENT01' })
      .resolves({ deploymentInfo: { ...GROUP } });
    codeDeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { ...GROUP, lastSuccessfulDeployment: { deploymentId: 'd-LASTGOOD1' } },
    });
    codeDeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-LASTGOOD1' })
      .resolves({ deploymentInfo: { ...GROUP, revision: REVISION } });
    codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWREDEP1' });
    const { invoke } = prepare(blueGreen());

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(codeDeploy).toHaveReceivedCommandWith(GetDeploymentGroupCommand, GROUP);
    expect(codeDeploy).toHaveReceivedCommandWith(CreateDeploymentCommand, { ...GROUP, revision: REVISION });
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      controller: 'CODE_DEPLOY',
      deploymentId: 'd-NEWREDEP1',
    });
  });

  it('fails a CODE_DEPLOY restart whose group has no successful deployment, without creating one', async () => {
    // Prepare
    describing('CODE_DEPLOY', {
      taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', externalId: 'd-CURRENT01' }],
    });
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { ...GROUP } });
    codeDeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: { ...GROUP } });
    const { invoke } = prepare(blueGreen());

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(codeDeploy).not.toHaveReceivedCommand(CreateDeploymentCommand);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'TileRestartFailed',
      detail: {
        reason: 'start-failed',
        call: 'codedeploy.CreateDeployment',
        error: { message: expect.stringContaining('has no successful deployment') as string },
        effects: [{ effect: 'restart-service', outcome: 'failed' }, { outcome: 'skipped' }],
      },
    });
  });

  it('reports an EXTERNAL controller as unsupported-controller and writes nothing to ECS', async () => {
    // Prepare
    describing('EXTERNAL');
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(emitted(eventBridge).map((e) => e.detail)).toEqual([
      expect.objectContaining({
        service: 'tile-server',
        reason: 'unsupported-controller',
        controller: 'EXTERNAL',
      }),
      expect.objectContaining({ service: 'tile-worker', reason: 'unsupported-controller' }),
    ]);
    expect(journalOf(table, 'tile-restart', 'leadout', SERVER_KEY)).toMatchObject({
      state: 'announced',
      finalType: 'TileRestartFailed',
      finalDetail: expect.objectContaining({ reason: 'unsupported-controller' }) as unknown,
    });
  });

  it('says "would restart" in observe mode: reads the controller, no UpdateService, no deployment id', async () => {
    // Prepare
    const { invoke } = prepare(tileConfig({ mode: 'observe' }));

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(codeDeploy).not.toHaveReceivedAnyCommand();
    const details = emitted(eventBridge).map((e) => e.detail as Record<string, unknown>);
    expect(details).toHaveLength(2);
    expect(details[0]).toMatchObject({ mode: 'observe', controller: 'ECS' });
    expect(details[0]).not.toHaveProperty('deploymentId');
  });

  it('reports a restart that ECS refuses as start-failed (the error now in error/call, the effect listed), and still restarts the next service', async () => {
    // Prepare
    ecs
      .on(UpdateServiceCommand, { service: 'tile-server' })
      .rejects(new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata: {} }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(
      emitted(eventBridge).map((e) => [e.detailType, (e.detail as { service: string }).service]),
    ).toEqual([
      ['TileRestartFailed', 'tile-server'],
      ['TileRestartStarted', 'tile-worker'],
    ]);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      reason: 'start-failed',
      call: 'ecs.UpdateService',
      error: { name: 'ServiceNotActiveException', message: 'Service was not ACTIVE.' },
      effects: [{ effect: 'restart-service', outcome: 'failed' }, { outcome: 'skipped' }],
    });
  });

  it('restarts for an execution the guard never saw leave Dev (a rollback reaching Prod), without a commit', async () => {
    // Prepare
    table.remove('release#leadout', E);
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-succeeded'));

    // Assess
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 2);
    expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('commitId');
  });

  it.each([
    ['a Dev success', { stage: 'Dev', state: 'SUCCEEDED' }],
    ['a Prod failure', { stage: 'Prod', state: 'FAILED' }],
    ['an unguarded pipeline', { pipeline: 'other', stage: 'Prod', state: 'SUCCEEDED' }],
  ])('ignores %s', async (_, change) => {
    // Prepare
    const event = loadEvent('codepipeline/stage-prod-succeeded');
    Object.assign(event.detail, change);
    const { invoke } = prepare();

    // Act
    await invoke(event);

    // Assess
    expectNoAwsCall(mocks);
  });

  it('drops an invalid event without any AWS call', async () => {
    // Prepare
    const event = loadEvent('malformed/stage-dev-succeeded-missing-execution-id');
    const prepared = prepare();

    // Act
    await prepared.invoke(event);

    // Assess
    expectDroppedInvalid(event, prepared.log, mocks);
  });
});
