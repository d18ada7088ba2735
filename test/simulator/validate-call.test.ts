import { describe, expect, it } from 'vitest';

import {
  AwsValidationError,
  SKIPPED_PATTERNS,
  assertValidCall,
  validateCall,
} from '../../simulator/validate-call';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/leadout-scheduler';
const LAMBDA_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:leadout-bake-end';

const disableTransition = {
  pipelineName: 'leadout-pipeline',
  stageName: 'Prod',
  transitionType: 'Inbound',
  reason: 'Baking Dev (30 min) - alarm watch!',
};
const createSchedule = {
  Name: 'leadout-bake-end-0f8fad5b',
  GroupName: 'leadout.release-guard',
  ScheduleExpression: 'at(2026-12-01T10:30:00)',
  ScheduleExpressionTimezone: 'Europe/Paris',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  ClientToken: 'bake-end_0f8fad5b',
  StartDate: new Date('2026-12-01T10:00:00Z'),
  Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN, Input: '{"executionId":"x"}' },
};
const startExecution = {
  name: 'leadout-pipeline',
  clientRequestToken: 'retry-0f8fad5b',
  sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: 'a1b2c3d' }],
  variables: [{ name: 'RELEASE_ID', value: 'r-42' }],
};
const approval = {
  pipelineName: 'leadout-pipeline',
  stageName: 'Prod',
  actionName: 'Gate',
  result: { summary: 'Bake passed: no alarm for 30 min', status: 'Approved' },
  token: UUID,
};
const rollback = { pipelineName: 'leadout-pipeline', stageName: 'Prod', targetPipelineExecutionId: UUID };

describe('validateCall', () => {
  it.each([
    { call: 'codepipeline.DisableStageTransition', input: disableTransition },
    { call: 'codepipeline.EnableStageTransition', input: { ...disableTransition, reason: undefined } },
    { call: 'codepipeline.GetPipelineState', input: { name: 'leadout-pipeline' } },
    { call: 'codepipeline.StartPipelineExecution', input: startExecution },
    { call: 'codepipeline.PutApprovalResult', input: approval },
    { call: 'codepipeline.RollbackStage', input: rollback },
    { call: 'scheduler.CreateSchedule', input: createSchedule },
    {
      call: 'scheduler.DeleteSchedule',
      input: { Name: 'leadout-bake-end-0f8fad5b', ClientToken: 'abc-123' },
    },
    { call: 'scheduler.ListSchedules', input: {} },
    {
      call: 'cloudwatch.DescribeAlarms',
      input: { AlarmNames: ['leadout-5xx'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
    },
    {
      call: 'cloudwatch.DescribeAlarmHistory',
      input: { AlarmName: 'leadout-5xx', StartDate: '2026-12-01T10:00:00Z', EndDate: 1_796_119_200 },
    },
    {
      call: 'events.PutEvents',
      input: { Entries: [{ Source: 'leadout.guard', DetailType: 'Bake', Detail: '{}', Time: new Date() }] },
    },
    {
      call: 'ecs.UpdateService',
      input: { cluster: 'tiles', service: 'tile-server', forceNewDeployment: true },
    },
    { call: 'codedeploy.GetDeployment', input: { deploymentId: 'd-ABCDEF123' } },
    {
      call: 'dynamodb.PutItem',
      input: {
        TableName: 'leadout-guard',
        Item: {
          pk: { S: 'bake#1' },
          n: { N: '30' },
          raw: { B: new Uint8Array([1, 2, 3]) },
          nested: { M: { alarms: { L: [{ S: 'leadout-5xx' }, { BOOL: true }] } } },
        },
      },
    },
    { call: 'ssm.GetParameter', input: { Name: '/leadout/guard/config', WithDecryption: true } },
  ])('accepts a valid $call', ({ call, input }) => {
    // Prepare
    const [service = '', operation = ''] = call.split('.');

    // Act
    const violations = validateCall(service, operation, input);

    // Assess
    expect(violations).toEqual([]);
  });

  it.each([
    {
      why: 'a reason containing ":"',
      call: 'codepipeline.DisableStageTransition',
      input: { ...disableTransition, reason: 'baking: 30 min' },
      expected: 'reason "baking: 30 min" does not match ^[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+$',
    },
    {
      why: 'a reason containing "_"',
      call: 'codepipeline.DisableStageTransition',
      input: { ...disableTransition, reason: 'bake_in_progress' },
      expected: 'reason "bake_in_progress" does not match',
    },
    {
      why: 'a reason longer than 300 characters',
      call: 'codepipeline.DisableStageTransition',
      input: { ...disableTransition, reason: 'a'.repeat(301) },
      expected: 'reason is 301 characters, at most 300',
    },
    {
      why: 'a schedule Name of 65 characters',
      call: 'scheduler.CreateSchedule',
      input: { ...createSchedule, Name: 'n'.repeat(65) },
      expected: 'Name is 65 characters, at most 64',
    },
    {
      why: 'a schedule Name with "/"',
      call: 'scheduler.CreateSchedule',
      input: { ...createSchedule, Name: 'leadout/bake-end' },
      expected: 'Name "leadout/bake-end" does not match ^[0-9a-zA-Z-_.]+$',
    },
    {
      why: 'a ClientToken with "."',
      call: 'scheduler.CreateSchedule',
      input: { ...createSchedule, ClientToken: 'bake.end' },
      expected: 'ClientToken "bake.end" does not match ^[a-zA-Z0-9-_]+$',
    },
    {
      why: 'a clientRequestToken with "_"',
      call: 'codepipeline.StartPipelineExecution',
      input: { ...startExecution, clientRequestToken: 'retry_1' },
      expected: 'clientRequestToken "retry_1" does not match ^[a-zA-Z0-9-]+$',
    },
    {
      why: 'an approval summary longer than 512 characters',
      call: 'codepipeline.PutApprovalResult',
      input: { ...approval, result: { ...approval.result, summary: 's'.repeat(513) } },
      expected: 'result.summary is 513 characters, at most 512',
    },
    {
      why: 'a non-UUID approval token',
      call: 'codepipeline.PutApprovalResult',
      input: { ...approval, token: 'token-123' },
      expected: 'token "token-123" does not match',
    },
    {
      why: 'a non-UUID rollback target',
      call: 'codepipeline.RollbackStage',
      input: { ...rollback, targetPipelineExecutionId: 'exec-1' },
      expected: 'targetPipelineExecutionId "exec-1" does not match',
    },
    {
      why: 'a missing required pipelineName',
      call: 'codepipeline.RollbackStage',
      input: { ...rollback, pipelineName: undefined },
      expected: 'pipelineName is required but missing',
    },
    {
      why: 'an approval status outside the enum',
      call: 'codepipeline.PutApprovalResult',
      input: { ...approval, result: { ...approval.result, status: 'Maybe' } },
      expected: 'result.status "Maybe" is not one of Approved, Rejected',
    },
    {
      why: 'more than 50 sourceRevisions',
      call: 'codepipeline.StartPipelineExecution',
      input: { ...startExecution, sourceRevisions: Array(51).fill(startExecution.sourceRevisions[0]) },
      expected: 'sourceRevisions has 51 items, at most 50',
    },
    {
      why: 'an invalid member deep in a list',
      call: 'codepipeline.StartPipelineExecution',
      input: { ...startExecution, sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID' }] },
      expected: 'sourceRevisions[0].revisionValue is required but missing',
    },
    {
      why: 'a mis-cased top-level member',
      call: 'codepipeline.GetPipelineState',
      input: { name: 'leadout-pipeline', Name: 'leadout-pipeline' },
      expected: 'Name is not a member of GetPipelineStateInput (did you mean name?)',
    },
    {
      why: 'a timestamp that is not a date',
      call: 'cloudwatch.DescribeAlarmHistory',
      input: { StartDate: 'yesterday' },
      expected: 'StartDate must be a valid Date',
    },
    {
      why: 'a wrongly typed value in a recursive shape',
      call: 'dynamodb.PutItem',
      input: { TableName: 'leadout-guard', Item: { pk: { M: { a: { L: [{ BOOL: 'yes' }] } } } } },
      expected: 'Item["pk"].M["a"].L[0].BOOL must be a boolean',
    },
  ])('rejects $why', ({ call, input, expected }) => {
    // Prepare
    const [service = '', operation = ''] = call.split('.');

    // Act
    const violations = validateCall(service, operation, input);

    // Assess
    expect(violations).toEqual([expect.stringContaining(`${call}: ${expected}`)]);
  });

  it('reports every violation of one call', () => {
    // Prepare
    const input = { ...createSchedule, Name: 'a/b', ClientToken: 'a.b', FlexibleTimeWindow: undefined };

    // Act
    const violations = validateCall('scheduler', 'CreateSchedule', input);

    // Assess
    expect(violations).toEqual([
      'scheduler.CreateSchedule: FlexibleTimeWindow is required but missing',
      'scheduler.CreateSchedule: Name "a/b" does not match ^[0-9a-zA-Z-_.]+$',
      'scheduler.CreateSchedule: ClientToken "a.b" does not match ^[a-zA-Z0-9-_]+$',
    ]);
  });

  it('throws for an operation without extracted constraints', () => {
    // Act
    const act = (): string[] => validateCall('codepipeline', 'DeletePipeline', { name: 'x' });

    // Assess
    expect(act).toThrow(/No API constraints for codepipeline\.DeletePipeline/);
  });

  it('compiles every botocore pattern of the extracted operations', () => {
    // Assess
    expect(SKIPPED_PATTERNS).toEqual([]);
  });
});

describe('assertValidCall', () => {
  it('throws a ValidationException carrying the violations', () => {
    // Prepare
    const input = { ...disableTransition, reason: 'a:b' };

    // Act
    const act = (): void => assertValidCall('codepipeline', 'DisableStageTransition', input);

    // Assess
    expect(act).toThrow(AwsValidationError);
    expect(act).toThrow(
      expect.objectContaining({
        name: 'ValidationException',
        service: 'codepipeline',
        operation: 'DisableStageTransition',
        violations: [expect.stringContaining('reason "a:b" does not match')],
      }),
    );
  });

  it('returns quietly for a valid call', () => {
    // Act
    const act = (): void => assertValidCall('scheduler', 'CreateSchedule', createSchedule);

    // Assess
    expect(act).not.toThrow();
  });
});
