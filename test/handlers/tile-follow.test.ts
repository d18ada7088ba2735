import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';

import { tileRestartTimerFired } from '../../events/guard/tile-restart-timer-fired';
import { makeHandler } from '../../handlers/tile-follow/make-handler';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { AwsCallError } from '../../lib/aws/signed-call';
import { makeTileTimers, tileTimerName } from '../../lib/aws/tile-timers';
import { guardOutbox, invoker, mockedAws, REGION } from './clients';
import { loadEvent, type FixtureName } from '../fixtures/load';
import {
  expectNoAwsCall,
  acceptPutEvents,
  captureLogger,
  deployment,
  emitted,
  expectDroppedInvalid,
  guardConfig,
} from './harness';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const ECS_DEPLOYMENT = 'ecs-svc/8270115964403385921';
const CODEDEPLOY_DEPLOYMENT = 'd-7QK2M9X4B';

const { dynamo, scheduler, eventBridge, all: mocks } = mockedAws();

function prepare(config = guardConfig()) {
  const log = captureLogger();
  const handler = makeHandler({
    config,
    tiles: makeTileLedger(new DynamoDBClient(REGION), deployment.ledgerTable),
    timers: makeTileTimers(scheduler.client, deployment),
    outbox: guardOutbox('tile-follow'),
    logger: log.logger,
  });
  return { invoke: invoker(handler), log };
}

/** The item tile-restart wrote under the deployment id when it started the restart. */
const restartItem = (deploymentId: string, controller = 'ECS') =>
  marshall({
    pipeline: '#tile-deployments',
    executionId: deploymentId,
    restartPipeline: 'leadout',
    restartOf: E,
    cluster: 'leadout-prod',
    service: 'tile-server',
    controller,
    deploymentId,
    startedAt: '2026-05-12T10:58:01.000Z',
    deadline: '2026-05-12T11:28:01.000Z',
    commitId: '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e',
  });
const outcomeTaken = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  dynamo.on(GetItemCommand).callsFake((input: { Key: { executionId: { S: string } } }) => ({
    Item: [ECS_DEPLOYMENT, CODEDEPLOY_DEPLOYMENT].includes(input.Key.executionId.S)
      ? restartItem(input.Key.executionId.S, input.Key.executionId.S.startsWith('d-') ? 'CODE_DEPLOY' : 'ECS')
      : undefined,
  }));
  dynamo.on(UpdateItemCommand).resolves({});
  scheduler
    .on('CreateSchedule')
    .resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:444455556666:schedule/g/t' });
  acceptPutEvents(eventBridge);
});

describe('tile-follow on ECS deployment events', () => {
  it('announces TileRestartCompleted with how long the restart took, claiming the one outcome', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('ecs/deployment-completed'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      Key: { pipeline: { S: '#tile-deployments' }, executionId: { S: ECS_DEPLOYMENT } },
      ConsistentRead: true,
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pipeline: { S: '#tile-deployments' }, executionId: { S: ECS_DEPLOYMENT } },
      ConditionExpression: 'attribute_exists(startedAt) AND attribute_not_exists(outcome)',
      ExpressionAttributeValues: { ':o': { S: 'completed' } },
    });
    expect(emitted(eventBridge)).toEqual([
      {
        source: 'leadout.release-guard',
        detailType: 'TileRestartCompleted',
        detail: {
          pipeline: 'leadout',
          executionId: E,
          commitId: '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e',
          cluster: 'leadout-prod',
          service: 'tile-server',
          controller: 'ECS',
          mode: 'enforce',
          deploymentId: ECS_DEPLOYMENT,
          // 10:58:01 → 11:02:40
          durationSeconds: 279,
          decisionKey: `leadout tile-outcome ${ECS_DEPLOYMENT}`,
        },
      },
    ]);
  });

  it.each<[FixtureName, string, string]>([
    ['ecs/deployment-failed', 'deployment-failed', 'ECS deployment circuit breaker: task failed to start.'],
    [
      'ecs/deployment-rollback-in-progress',
      'rolled-back',
      'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/5523014887761092384.',
    ],
  ])('turns %s into TileRestartFailed (%s) with ECS reason', async (fixture, reason, detail) => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent(fixture));

    // Assess
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'TileRestartFailed',
        detail: expect.objectContaining({ reason, detail }),
      }),
    ]);
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, {
      ExpressionAttributeValues: { ':o': { S: 'failed' } },
    });
  });

  it('does nothing on an ordinary in-progress event', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('ecs/deployment-in-progress'));

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(UpdateItemCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('stays silent when the restart already has its outcome (a duplicate, or the timeout won)', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).rejects(outcomeTaken());
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('ecs/deployment-completed'));

    // Assess
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('ignores a deployment the guard did not start', async () => {
    // Prepare
    const event = loadEvent('ecs/deployment-completed');
    event.detail.deploymentId = 'ecs-svc/1111111111111111111';
    const { invoke } = prepare();

    // Act
    await invoke(event);

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(UpdateItemCommand);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('drops an event without a deployment id', async () => {
    // Prepare
    const event = loadEvent('malformed/ecs-deployment-missing-deployment-id');
    const prepared = prepare();

    // Act
    await prepared.invoke(event);

    // Assess
    expectDroppedInvalid(event, prepared.log, mocks);
  });
});

describe('tile-follow on CodeDeploy deployment events (blue/green services)', () => {
  it.each<[FixtureName, string]>([
    ['codedeploy/deployment-success', 'TileRestartCompleted'],
    ['codedeploy/deployment-failure', 'TileRestartFailed'],
  ])('turns %s into %s', async (fixture, detailType) => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent(fixture));

    // Assess
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType,
        detail: expect.objectContaining({ controller: 'CODE_DEPLOY', deploymentId: CODEDEPLOY_DEPLOYMENT }),
      }),
    ]);
  });
});

describe('tile-follow timeout', () => {
  it('sets a one-time timer at the deadline when a restart starts, delivering what the timeout needs', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/tile-restart-started'));

    // Assess
    expect(scheduler.inputs('CreateSchedule')).toContainEqual(
      expect.objectContaining({
        Name: tileTimerName(ECS_DEPLOYMENT),
        GroupName: deployment.scheduleGroup,
        ScheduleExpression: 'at(2026-05-12T11:28:01)',
        ScheduleExpressionTimezone: 'UTC',
        ActionAfterCompletion: 'DELETE',
        Target: expect.objectContaining({
          Arn: deployment.busArn,
          RoleArn: deployment.schedulerRoleArn,
          EventBridgeParameters: { Source: 'leadout.release-guard', DetailType: 'TileRestartTimerFired' },
        }),
      }),
    );
    const input = scheduler.inputs('CreateSchedule')[0]?.Target?.Input ?? '{}';
    expect(tileRestartTimerFired.detail.safeParse(JSON.parse(input)).success).toBe(true);
    expect(tileTimerName(ECS_DEPLOYMENT)).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('records the deployment from TileRestartStarted when tile-restart could not, never overwriting one', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/tile-restart-started'));

    // Assess: an upsert of the deployment's item, only where none exists, so the follow-ups can find it
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pipeline: { S: '#tile-deployments' }, executionId: { S: ECS_DEPLOYMENT } },
      ConditionExpression: 'attribute_not_exists(startedAt)',
      ExpressionAttributeValues: expect.objectContaining({
        ':startedAt': expect.objectContaining({ S: expect.any(String) as string }) as never,
        ':restartPipeline': { S: 'leadout' },
      }) as never,
    });
  });

  it('accepts the timer already existing (a duplicate TileRestartStarted)', async () => {
    // Prepare
    scheduler
      .on('CreateSchedule')
      .rejects(new AwsCallError('ConflictException', 'exists', { status: 409, attempts: 1 }));
    const { invoke } = prepare();

    // Act and Assess
    await expect(invoke(loadEvent('guard/tile-restart-started'))).resolves.toBeUndefined();
  });

  it('sets no timer for an observe-mode "would restart"', async () => {
    // Prepare
    const event = loadEvent('guard/tile-restart-started');
    event.detail.mode = 'observe';
    delete event.detail.deploymentId;
    const { invoke } = prepare();

    // Act
    await invoke(event);

    // Assess
    expectNoAwsCall(mocks);
  });

  it('reports a restart with no outcome at its deadline as timed out (Scheduler delivers detail as a string)', async () => {
    // Prepare
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/tile-restart-timer-fired-detail-string'));

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(GetItemCommand);
    expect(emitted(eventBridge)).toEqual([
      expect.objectContaining({
        detailType: 'TileRestartFailed',
        detail: expect.objectContaining({
          reason: 'timed-out',
          detail: 'timed out: neither completed nor failed within 30 minutes',
          deploymentId: ECS_DEPLOYMENT,
        }),
      }),
    ]);
  });

  it('stays silent at the deadline when the restart already completed', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).rejects(outcomeTaken());
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('guard/tile-restart-timer-fired-detail-string'));

    // Assess
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });
});
