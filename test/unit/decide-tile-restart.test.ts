import { describe, expect, it } from 'vitest';

import { parseGuardConfig, tileCodeDeployGroup } from '../../config/schema';
import { decideTileOutcome, type FollowUp } from '../../handlers/tile-follow/decide-tile-outcome';
import { decideRestart, restartDeadline, tileTargets } from '../../handlers/tile-restart/decide-tile-restart';
import type { ServiceFacts } from '../../lib/aws/ecs';

const ARN = 'arn:aws:ecs:eu-west-1:444455556666:service/leadout-prod/tile-server';
const STARTED = new Date('2026-05-12T10:58:01.000Z');
const config = (change: Record<string, unknown> = {}) =>
  parseGuardConfig({
    slackWebhookParameter: '/leadout/release-guard/slack-webhook',
    pipelines: [
      {
        name: 'leadout',
        devAlarms: { namePrefix: 'leadout-dev-' },
        tileServices: [
          { cluster: 'leadout-prod', services: ['tile-server', 'tile-worker'] },
          { cluster: 'leadout-edge', services: ['tile-cache'] },
        ],
      },
    ],
    ...change,
  });

describe('tileTargets', () => {
  it.each([
    ['Prod', 'SUCCEEDED', 3],
    ['Prod', 'FAILED', 0],
    ['Dev', 'SUCCEEDED', 0],
  ])('%s %s → %i services to restart', (stage, state, count) => {
    expect(tileTargets(config().pipelines[0]!, stage, state)).toHaveLength(count);
  });

  it('lists every configured service with its cluster', () => {
    expect(tileTargets(config().pipelines[0]!, 'Prod', 'SUCCEEDED')).toEqual([
      { cluster: 'leadout-prod', service: 'tile-server' },
      { cluster: 'leadout-prod', service: 'tile-worker' },
      { cluster: 'leadout-edge', service: 'tile-cache' },
    ]);
  });
});

describe('decideRestart', () => {
  const facts = (change: Partial<ServiceFacts>): ServiceFacts => ({
    serviceArn: ARN,
    controller: 'ECS',
    ...change,
  });

  it.each<[string, Partial<ServiceFacts>, unknown]>([
    ['ECS', {}, { kind: 'force-new-deployment' }],
    [
      'CODE_DEPLOY',
      { controller: 'CODE_DEPLOY', primaryCodeDeployId: 'd-7QK2M9X4B' },
      { kind: 'redeploy-last-successful', currentDeploymentId: 'd-7QK2M9X4B' },
    ],
    [
      'CODE_DEPLOY without a CodeDeploy task set',
      { controller: 'CODE_DEPLOY' },
      { kind: 'cannot-restart', reason: 'start-failed' },
    ],
    ['EXTERNAL', { controller: 'EXTERNAL' }, { kind: 'cannot-restart', reason: 'unsupported-controller' }],
  ])('%s', (_, change, expected) => {
    expect(decideRestart(facts(change))).toMatchObject(expected as object);
  });
});

describe('restartDeadline', () => {
  it('is the configured minutes later (default 30), in whole seconds', () => {
    expect(restartDeadline(STARTED, config())).toEqual(new Date('2026-05-12T11:28:01.000Z'));
    expect(
      restartDeadline(new Date('2026-05-12T10:58:01.250Z'), config({ tileRestartTimeoutMinutes: 5 })),
    ).toEqual(new Date('2026-05-12T11:03:02.000Z'));
  });

  it('rejects a timeout that is not a positive whole number of minutes, naming the key', () => {
    expect(() => config({ tileRestartTimeoutMinutes: 0 })).toThrow(/tileRestartTimeoutMinutes/);
  });
});

describe('decideTileOutcome', () => {
  const at = new Date('2026-05-12T11:02:40.000Z');
  it.each<[string, FollowUp, unknown]>([
    [
      'ECS completed',
      { source: 'ecs', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' },
      { kind: 'completed', durationSeconds: 279 },
    ],
    [
      'ECS failed',
      {
        source: 'ecs',
        eventName: 'SERVICE_DEPLOYMENT_FAILED',
        reason: 'ECS deployment circuit breaker: task failed to start.',
      },
      {
        kind: 'failed',
        reason: 'deployment-failed',
        detail: 'ECS deployment circuit breaker: task failed to start.',
      },
    ],
    [
      'ECS circuit-breaker rollback',
      {
        source: 'ecs',
        eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
        reason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.',
      },
      { kind: 'failed', reason: 'rolled-back' },
    ],
    [
      'ECS in progress',
      {
        source: 'ecs',
        eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
        reason: 'ECS deployment ecs-svc/2 in progress.',
      },
      { kind: 'none' },
    ],
    [
      'CodeDeploy success',
      { source: 'codedeploy', state: 'SUCCESS' },
      { kind: 'completed', durationSeconds: 279 },
    ],
    [
      'CodeDeploy failure',
      { source: 'codedeploy', state: 'FAILURE' },
      { kind: 'failed', reason: 'deployment-failed' },
    ],
    [
      'CodeDeploy stopped',
      { source: 'codedeploy', state: 'STOP' },
      { kind: 'failed', reason: 'deployment-failed' },
    ],
    ['CodeDeploy ready (waiting for traffic)', { source: 'codedeploy', state: 'READY' }, { kind: 'none' }],
    [
      'deadline',
      { source: 'timer', timeoutMinutes: 30 },
      { kind: 'failed', reason: 'timed-out', detail: expect.stringContaining('timed out') },
    ],
  ])('%s', (_, followUp, expected) => {
    expect(decideTileOutcome(followUp, STARTED, at)).toMatchObject(expected as object);
  });
});

describe('CodeDeploy scope: only the configured deployment group of a blue/green tile service', () => {
  const blueGreen: ServiceFacts = {
    serviceArn: ARN,
    controller: 'CODE_DEPLOY',
    primaryCodeDeployId: 'd-7QK2M9X4B',
  } as ServiceFacts;
  const withGroup = config({
    pipelines: [
      {
        name: 'leadout',
        devAlarms: { namePrefix: 'leadout-dev-' },
        tileServices: [
          {
            cluster: 'leadout-prod',
            services: [
              'tile-worker',
              { name: 'tile-server', codeDeploy: { application: 'tiles', deploymentGroup: 'tiles-prod' } },
            ],
          },
        ],
      },
    ],
  });

  it('fails a CODE_DEPLOY service whose group is not configured, naming the missing key', () => {
    const configured = tileCodeDeployGroup(withGroup, {
      pipeline: 'leadout',
      cluster: 'leadout-prod',
      service: 'tile-worker',
    });

    const plan = decideRestart(blueGreen, configured);

    expect(plan).toMatchObject({ kind: 'cannot-restart', reason: 'start-failed' });
    expect(plan.kind === 'cannot-restart' && plan.detail).toContain(
      'pipelines.0.tileServices.0.services.0.codeDeploy',
    );
  });

  it('redeploys a CODE_DEPLOY service whose group is configured', () => {
    const configured = tileCodeDeployGroup(withGroup, {
      pipeline: 'leadout',
      cluster: 'leadout-prod',
      service: 'tile-server',
    });

    expect(configured.group).toEqual({ application: 'tiles', deploymentGroup: 'tiles-prod' });
    expect(decideRestart(blueGreen, configured)).toEqual({
      kind: 'redeploy-last-successful',
      currentDeploymentId: 'd-7QK2M9X4B',
    });
  });

  it('keeps services a list of names, and validates codeDeploy naming the bad key', () => {
    expect(withGroup.pipelines[0]!.tileServices[0]!.services).toEqual(['tile-worker', 'tile-server']);
    expect(() =>
      config({
        pipelines: [
          {
            name: 'leadout',
            devAlarms: { namePrefix: 'leadout-dev-' },
            tileServices: [{ cluster: 'c', services: [{ name: 's', codeDeploy: { application: 'tiles' } }] }],
          },
        ],
      }),
    ).toThrow('pipelines.0.tileServices.0.services.0.codeDeploy.deploymentGroup');
  });
});
