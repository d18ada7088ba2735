import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  InvalidNextToken,
} from '@aws-sdk/client-cloudwatch';
import {
  ConflictException,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  UnableToRollbackStageException,
  ValidationException,
} from '@aws-sdk/client-codepipeline';
import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import type { TaggingSender } from '../../lib/aws/alarm-tags';
import { makeAlarmReader } from '../../lib/aws/cloudwatch';
import { DEFAULT_STAGES } from '../../simulator/scenario';
import { callerIdentity, type PipelineSpec } from '../../simulator/world/codepipeline-world';
import { usePageSizes } from '../../simulator/world/paging';
import { fakeClients } from '../../simulator/world/services';
import { World } from '../../simulator/world/world';

const START = new Date('2026-11-27T09:00:00Z');
const minutes = (world: World, n: number) => {
  const until = world.clock.nowMs() + n * 60_000;
  for (let due = world.clock.takeDue(until); due; due = world.clock.takeDue(until)) due();
  world.clock.advanceTo(until);
};

function aWorld(pipeline: Partial<PipelineSpec> = {}) {
  const world = new World(
    START,
    { name: 'bus', arn: 'arn:aws:events:us-east-1:111122223333:event-bus/bus' },
    {},
  );
  const p = world.addPipeline({
    name: 'leadout',
    stages: DEFAULT_STAGES,
    tokenLagSeconds: 0,
    version: 1,
    ...pipeline,
  });
  const fake = fakeClients(world);
  // The fakes answer `never` (any output); the SDK client types give each command its output type back.
  const clients = {
    cloudwatch: fake.cloudwatch as unknown as Pick<CloudWatchClient, 'send'>,
    codepipeline: fake.codepipeline as unknown as Pick<CodePipelineClient, 'send'>,
    scheduler: fake.scheduler as unknown as Pick<SchedulerClient, 'send'>,
    tagging: fake.tagging as unknown as TaggingSender,
  };
  return { world, p, clients };
}

describe('CloudWatch as AWS answers it', () => {
  it('pages DescribeAlarms (MaxRecords, NextToken) and returns composite alarms only when AlarmTypes asks', async () => {
    // Prepare
    const { world, clients } = aWorld();
    for (const name of ['d', 'a', 'c']) world.alarms.add({ name: `dev-${name}`, state: 'OK' });
    world.alarms.add({ name: 'dev-b', state: 'OK', composite: true });

    // Act
    const metricOnly = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'dev-' }));
    const first = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 3 }),
    );
    const second = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 3,
        NextToken: first.NextToken,
      }),
    );

    // Assess
    expect(metricOnly.CompositeAlarms).toEqual([]);
    expect(metricOnly.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['dev-a', 'dev-c', 'dev-d']);
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['dev-a', 'dev-c']);
    expect(first.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['dev-b']);
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['dev-d']);
    expect(second.NextToken).toBeUndefined();
    await expect(
      clients.cloudwatch.send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' })),
    ).rejects.toBeInstanceOf(InvalidNextToken);
  });

  it('moves StateUpdatedTimestamp alone when a composite alarm is updated without changing value', async () => {
    // Prepare
    const { world, clients } = aWorld();
    world.alarms.add({ name: 'dev-health', state: 'OK', composite: true });
    minutes(world, 10);
    world.alarms.set('dev-health', 'ALARM');
    minutes(world, 10);
    world.alarms.set('dev-health', 'ALARM', 'still failing');

    // Act
    const out = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    const [alarm] = await makeAlarmReader(clients.cloudwatch, clients.tagging).selectedAlarms({
      namePrefix: 'dev-',
    });

    // Assess
    const [composite] = out.CompositeAlarms ?? [];
    expect(composite?.StateTransitionedTimestamp).toEqual(new Date('2026-11-27T09:10:00Z'));
    expect(composite?.StateUpdatedTimestamp).toEqual(new Date('2026-11-27T09:20:00Z'));
    expect(alarm?.since).toEqual(new Date('2026-11-27T09:10:00Z'));
    expect(world.alarms.history).toHaveLength(1);
  });

  it('answers history newest first unless ScanBy says otherwise, metric alarms unless AlarmTypes, paged', async () => {
    // Prepare
    const { world, clients } = aWorld();
    world.alarms.add({ name: 'dev-a', state: 'OK' });
    world.alarms.add({ name: 'dev-b', state: 'OK', composite: true });
    for (const state of ['ALARM', 'OK', 'ALARM'] as const) {
      minutes(world, 1);
      world.alarms.set('dev-a', state);
      world.alarms.set('dev-b', state);
    }

    // Act
    const metric = await clients.cloudwatch.send(new DescribeAlarmHistoryCommand({ MaxRecords: 2 }));
    const rest = await clients.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ MaxRecords: 2, NextToken: metric.NextToken }),
    );
    const oldest = await clients.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmTypes: ['CompositeAlarm'], ScanBy: 'TimestampAscending' }),
    );

    // Assess
    expect(metric.AlarmHistoryItems?.map((h) => h.Timestamp?.getUTCMinutes())).toEqual([3, 2]);
    expect(rest.AlarmHistoryItems?.map((h) => h.Timestamp?.getUTCMinutes())).toEqual([1]);
    expect(rest.NextToken).toBeUndefined();
    expect(oldest.AlarmHistoryItems?.map((h) => `${h.AlarmName}@${h.Timestamp?.getUTCMinutes()}`)).toEqual([
      'dev-b@1',
      'dev-b@2',
      'dev-b@3',
    ]);
  });
});

describe('CodePipeline as AWS answers it', () => {
  it('names the real source action in ListPipelineExecutions and pages it', async () => {
    // Prepare
    const { world, p, clients } = aWorld();
    usePageSizes(world, { ListPipelineExecutions: 1 });
    p.start('a1b2c3d', 'one');
    p.start('b4d5e6f', 'two');

    // Act
    const first = await clients.codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: 'leadout' }),
    );
    const second = await clients.codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: 'leadout', nextToken: first.nextToken }),
    );

    // Assess
    expect(first.pipelineExecutionSummaries?.[0]?.sourceRevisions).toEqual([
      { actionName: 'SourceAction', revisionId: 'b4d5e6f', revisionSummary: 'two' },
    ]);
    expect(second.pipelineExecutionSummaries?.[0]?.sourceRevisions?.[0]?.revisionId).toBe('a1b2c3d');
    expect(second.nextToken).toBeUndefined();
  });

  it('rejects a start whose source revision names no source action of the pipeline', async () => {
    // Prepare
    const { clients } = aWorld();
    const start = (actionName: string) =>
      clients.codepipeline.send(
        new StartPipelineExecutionCommand({
          name: 'leadout',
          sourceRevisions: [{ actionName, revisionType: 'COMMIT_ID', revisionValue: 'a1b2c3d' }],
        }),
      );

    // Act, Assess
    await expect(start('Source')).rejects.toBeInstanceOf(ValidationException);
    await expect(start('SourceAction')).resolves.toHaveProperty('pipelineExecutionId');
  });

  it.each([
    [undefined, UnableToRollbackStageException],
    ['UnableToRollbackStageException', UnableToRollbackStageException],
    ['ConflictException', ConflictException],
  ] as const)('refuses RollbackStage of a running stage (option %s)', async (option, error) => {
    // Prepare: a1b2c3d succeeds in Dev, b4d5e6f is in Dev now
    const { world, p, clients } = aWorld({ rollbackStageBusyError: option });
    const good = p.start('a1b2c3d', 'one');
    minutes(world, 11);
    p.start('b4d5e6f', 'two');
    minutes(world, 6);

    // Act, Assess
    await expect(
      clients.codepipeline.send(
        new RollbackStageCommand({
          pipelineName: 'leadout',
          stageName: 'Dev',
          targetPipelineExecutionId: good.id,
        }),
      ),
    ).rejects.toBeInstanceOf(error);
  });

  it('reports lastChangedBy as an IAM identity', () => {
    expect(callerIdentity('alarmGate')).toBe(
      'arn:aws:sts::111122223333:assumed-role/leadout-release-guard-sim-AlarmGateRole/leadout-release-guard-sim-alarmGate',
    );
    expect(callerIdentity('arn:aws:iam::111122223333:user/dana')).toBe('arn:aws:iam::111122223333:user/dana');
    expect(callerIdentity('a human')).toBe('arn:aws:iam::111122223333:user/a-human');
  });
});

describe('Scheduler, ECS and CodeDeploy as AWS answers them', () => {
  it('deletes a fired one-time schedule only with ActionAfterCompletion DELETE, and pages ListSchedules', async () => {
    // Prepare
    const { world, clients } = aWorld();
    const target = {
      Arn: world.guardBus.arn,
      RoleArn: 'arn:aws:iam::111122223333:role/r',
      EventBridgeParameters: { Source: 'test', DetailType: 'Tick' },
    };
    world.schedules.create('keep', 'g', 'at(2026-11-27T09:05:00)', 'UTC', target);
    world.schedules.create('gone', 'g', 'at(2026-11-27T09:05:00)', 'UTC', target, 'DELETE');
    world.schedules.create('later', 'g', 'at(2026-11-27T10:00:00)', 'UTC', target, 'DELETE');
    minutes(world, 10);

    // Act
    const first = await clients.scheduler.send(new ListSchedulesCommand({ GroupName: 'g', MaxResults: 1 }));
    const second = await clients.scheduler.send(
      new ListSchedulesCommand({ GroupName: 'g', MaxResults: 1, NextToken: first.NextToken }),
    );

    // Assess
    expect(world.inbox).toHaveLength(2);
    expect(first.Schedules?.map((s) => s.Name)).toEqual(['keep']);
    expect(second.Schedules?.map((s) => s.Name)).toEqual(['later']);
    expect(second.NextToken).toBeUndefined();
  });

  it('marks the deployments a completed ECS deployment replaced INACTIVE', () => {
    // Prepare
    const { world } = aWorld();
    world.ecs.add({ cluster: 'c', service: 's', controller: 'ECS', minutes: 4, outcome: 'complete' });

    // Act
    world.ecs.forceNewDeployment('c', 's');
    const during = world.ecs.describe('c', ['s']).services[0]?.deployments?.map((d) => d.status);
    minutes(world, 5);
    const after = world.ecs.describe('c', ['s']).services[0]?.deployments?.map((d) => d.status);

    // Assess
    expect(during).toEqual(['PRIMARY', 'ACTIVE']);
    expect(after).toEqual(['PRIMARY', 'INACTIVE']);
  });

  it("links a failed deployment and CodeDeploy's own rollback of it both ways in rollbackInfo", () => {
    // Prepare
    const { world } = aWorld();

    // Act
    world.codedeploy.declare({
      id: 'd-ONE',
      application: 'app',
      deploymentGroup: 'dg',
      status: 'Failed',
      rollbackDeploymentId: 'd-TWO',
      rollbackStatus: 'Failed',
    });

    // Assess
    expect(world.codedeploy.get('d-ONE').rollbackInfo).toMatchObject({ rollbackDeploymentId: 'd-TWO' });
    expect(world.codedeploy.get('d-TWO')).toMatchObject({
      status: 'Failed',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-ONE' },
    });
  });
});
