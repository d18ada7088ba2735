import { describe, expect, it } from 'vitest';

import { alarmStateChange } from '../../events/aws/cloudwatch-alarm-state-change';
import { codeDeployDeploymentStateChange } from '../../events/aws/codedeploy-deployment-state-change';
import { actionExecutionStateChange } from '../../events/aws/codepipeline-action-execution-state-change';
import { pipelineExecutionStateChange } from '../../events/aws/codepipeline-pipeline-execution-state-change';
import { stageExecutionStateChange } from '../../events/aws/codepipeline-stage-execution-state-change';
import { ecsDeploymentStateChange } from '../../events/aws/ecs-deployment-state-change';
import { bakeTimerFired } from '../../events/guard/bake-timer-fired';
import { tileRestartTimerFired } from '../../events/guard/tile-restart-timer-fired';
import { loadEvent, type FixtureEvent, type FixtureName } from '../fixtures/load';

type Schema = { safeParse: (v: unknown) => { success: boolean } };
type Case = [string, FixtureName, Schema, (e: FixtureEvent) => void];

const detail = (e: FixtureEvent) => e.detail as Record<string, unknown> & { state: Record<string, unknown> };
const huge = 'x'.repeat(2_000);

/** Each edit makes a field something AWS never sends: the contract refuses it, so the reaction drops it. */
const outOfShape: Case[] = [
  [
    'an execution id that is no UUID',
    'codepipeline/stage-dev-succeeded-modern',
    stageExecutionStateChange,
    (e) => (e.detail['execution-id'] = 'exec-1'),
  ],
  [
    'a 2,000-character execution id',
    'codepipeline/pipeline-failed-modern',
    pipelineExecutionStateChange,
    (e) => (e.detail['execution-id'] = huge),
  ],
  [
    'an upper-case UUID',
    'codepipeline/action-prod-approval-started',
    actionExecutionStateChange,
    (e) => (e.detail['execution-id'] = 'E4625DC7-00D8-4C86-B735-D491150CFB97'),
  ],
  [
    'a pipeline name with a slash',
    'codepipeline/stage-dev-succeeded-modern',
    stageExecutionStateChange,
    (e) => (e.detail.pipeline = 'lead/out'),
  ],
  [
    'a 101-character stage name',
    'codepipeline/stage-dev-succeeded-modern',
    stageExecutionStateChange,
    (e) => (e.detail.stage = 'D'.repeat(101)),
  ],
  [
    'an action name with a space',
    'codepipeline/action-prod-approval-started',
    actionExecutionStateChange,
    (e) => (e.detail.action = 'Bake Gate'),
  ],
  [
    'a start time in year 275760',
    'codepipeline/stage-dev-succeeded-modern',
    stageExecutionStateChange,
    (e) => (e.detail['start-time'] = '+275760-09-13T00:00:00.000Z'),
  ],
  [
    'an event time in 1900',
    'codepipeline/stage-dev-succeeded-modern',
    stageExecutionStateChange,
    (e) => (e.time = '1900-01-01T00:00:00Z'),
  ],
  [
    'an alarm timestamp in year 275760',
    'cloudwatch/alarm-metric-ok-to-alarm',
    alarmStateChange,
    (e) => (detail(e).state.timestamp = '275760-09-13T00:00:00.000+0000'),
  ],
  [
    'an alarm timestamp that is no time',
    'cloudwatch/alarm-metric-ok-to-alarm',
    alarmStateChange,
    (e) => (detail(e).state.timestamp = 'yesterday'),
  ],
  [
    'a 256-character alarm name',
    'cloudwatch/alarm-metric-ok-to-alarm',
    alarmStateChange,
    (e) => (e.detail.alarmName = 'a'.repeat(256)),
  ],
  [
    'an alarm name with a lone surrogate',
    'cloudwatch/alarm-metric-ok-to-alarm',
    alarmStateChange,
    (e) => (e.detail.alarmName = 'leadout-dev-\uD800'),
  ],
  [
    'a 2,000-character alarm reason',
    'cloudwatch/alarm-metric-ok-to-alarm',
    alarmStateChange,
    (e) => (detail(e).state.reason = 'r'.repeat(1_024)),
  ],
  [
    'an ECS deployment id of another shape',
    'ecs/deployment-completed',
    ecsDeploymentStateChange,
    (e) => (e.detail.deploymentId = 'd-7QK2M9X4B'),
  ],
  [
    'a 2,000-character ECS deployment id',
    'ecs/deployment-completed',
    ecsDeploymentStateChange,
    (e) => (e.detail.deploymentId = `ecs-svc/${huge}`),
  ],
  [
    'a CodeDeploy id in lower case',
    'codedeploy/deployment-success',
    codeDeployDeploymentStateChange,
    (e) => (e.detail.deploymentId = 'd-7qk2m9x4b'),
  ],
  [
    'a 2,000-character CodeDeploy id',
    'codedeploy/deployment-success',
    codeDeployDeploymentStateChange,
    (e) => (e.detail.deploymentId = `d-${huge}`),
  ],
  [
    'a timer whose execution id is no UUID',
    'guard/bake-timer-fired',
    bakeTimerFired.event,
    (e) => (e.detail.executionId = huge),
  ],
  [
    'a timer whose bake ends in year 275760',
    'guard/bake-timer-fired',
    bakeTimerFired.event,
    (e) => (e.detail.bakeEndsAt = '+275760-09-13T00:00:00.000Z'),
  ],
];

describe('the contracts hold every field to what AWS sends', () => {
  it.each(outOfShape)('refuse %s', (_name, fixture, schema, edit) => {
    // Prepare
    const event = loadEvent(fixture);
    expect(schema.safeParse(event).success).toBe(true);
    edit(event);
    // Act / Assess
    expect(schema.safeParse(event).success).toBe(false);
  });

  it('refuse a tile timer whose deployment id is neither ECS nor CodeDeploy shaped', () => {
    const event = loadEvent('guard/tile-restart-timer-fired-detail-string');
    expect(tileRestartTimerFired.event.safeParse(event).success).toBe(true);
    const inner = JSON.parse(event.detail as unknown as string) as Record<string, unknown>;
    event.detail = JSON.stringify({ ...inner, deploymentId: huge }) as unknown as Record<string, unknown>;
    expect(tileRestartTimerFired.event.safeParse(event).success).toBe(false);
  });

  it.each([
    ['detail.version as a string', 'codepipeline/stage-dev-succeeded-legacy'],
    ['no start-time, attempt or trigger', 'codepipeline/pipeline-failed-no-trigger'],
    ['CloudWatch +0000 timestamps', 'cloudwatch/alarm-metric-ok-to-alarm'],
  ] as const)('stay lenient where AWS varies: %s', (_name, fixture) => {
    const event = loadEvent(fixture);
    const schema = fixture.startsWith('cloudwatch')
      ? alarmStateChange
      : fixture.includes('stage')
        ? stageExecutionStateChange
        : pipelineExecutionStateChange;
    expect(schema.safeParse(event).success).toBe(true);
  });

  it('repairs a lone surrogate in free text instead of refusing the event', () => {
    const event = loadEvent('cloudwatch/alarm-metric-ok-to-alarm');
    detail(event).state.reason = 'Threshold crossed \uD800';
    const parsed = alarmStateChange.parse(event);
    expect(parsed.detail.state.reason).toBe('Threshold crossed \uFFFD');
  });
});
