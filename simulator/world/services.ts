import type {
  GetPipelineExecutionInput,
  GetPipelineStateInput,
  ListActionExecutionsInput,
  ListPipelineExecutionsInput,
  RetryStageExecutionInput,
  RollbackStageInput,
  StartPipelineExecutionInput,
  PutApprovalResultInput,
  DisableStageTransitionInput,
  EnableStageTransitionInput,
} from '@aws-sdk/client-codepipeline';
import type {
  DescribeAlarmHistoryInput,
  DescribeAlarmsInput,
  ListTagsForResourceInput,
} from '@aws-sdk/client-cloudwatch';
import type { CreateScheduleInput, DeleteScheduleInput, ListSchedulesInput } from '@aws-sdk/client-scheduler';
import type { PutEventsRequest, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type {
  DeleteItemInput,
  GetItemInput,
  PutItemInput,
  QueryInput,
  UpdateItemInput,
} from '@aws-sdk/client-dynamodb';
import type { DescribeServicesRequest, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import type {
  CreateDeploymentInput,
  GetDeploymentGroupInput,
  GetDeploymentInput,
} from '@aws-sdk/client-codedeploy';
import {
  ParameterNotFound,
  type GetCalendarStateRequest,
  type GetParameterRequest,
} from '@aws-sdk/client-ssm';
import type { GetResourcesInput } from '@aws-sdk/client-resource-groups-tagging-api';
import { ACCOUNT } from './aws-event';
import { withNames } from './dynamodb-world';
import { fakeClient, type FakeClient } from './fake-clients';
import { getResources } from './tagging-world';
import type { World } from './world';

export type FakeClients = Record<
  | 'codepipeline'
  | 'cloudwatch'
  | 'tagging'
  | 'scheduler'
  | 'eventbridge'
  | 'dynamodb'
  | 'ecs'
  | 'codedeploy'
  | 'ssm',
  FakeClient
>;

/**
 * The SDK clients the guard's gateways are built on in the simulator, each answered by the world as one account
 * sees it (default: the guard's own; another account's alarms and services only through its role: sts-world.ts).
 */
export function fakeClients(world: World, account: string = ACCOUNT): FakeClients {
  return {
    codepipeline: fakeClient(world, 'codepipeline', {
      GetPipelineState: (i: GetPipelineStateInput) => world.pipeline(i.name).state(),
      GetPipelineExecution: (i: GetPipelineExecutionInput) =>
        world.rollbacks.getExecution(world.pipeline(i.pipelineName), i.pipelineExecutionId ?? ''),
      ListPipelineExecutions: (i: ListPipelineExecutionsInput) =>
        world.rollbacks.list(world.pipeline(i.pipelineName), i),
      ListActionExecutions: (i: ListActionExecutionsInput) =>
        world.rollbacks.listActions(world.pipeline(i.pipelineName), i),
      RollbackStage: (i: RollbackStageInput) =>
        world.rollbacks.rollbackStage(world.pipeline(i.pipelineName), i),
      RetryStageExecution: (i: RetryStageExecutionInput) =>
        world.pipeline(i.pipelineName).retryStage(i.stageName ?? '', i.pipelineExecutionId ?? ''),
      StartPipelineExecution: (i: StartPipelineExecutionInput) =>
        world.rollbacks.start(world.pipeline(i.name), i),
      PutApprovalResult: (i: PutApprovalResultInput) => {
        world
          .pipeline(i.pipelineName)
          .answerApproval(i.stageName!, i.actionName!, i.token!, i.result!.status!, i.result!.summary);
        return { approvedAt: world.clock.now() };
      },
      DisableStageTransition: (i: DisableStageTransitionInput) =>
        world.pipeline(i.pipelineName).setTransition(i.stageName!, false, i.reason, world.caller),
      EnableStageTransition: (i: EnableStageTransitionInput) =>
        world.pipeline(i.pipelineName).setTransition(i.stageName!, true, undefined, world.caller),
    }),
    cloudwatch: fakeClient(world, 'cloudwatch', {
      DescribeAlarms: (i: DescribeAlarmsInput) => world.alarms.describe(i, account),
      DescribeAlarmHistory: (i: DescribeAlarmHistoryInput) => world.alarms.historyPage(i, account),
      ListTagsForResource: (i: ListTagsForResourceInput) => ({
        Tags: world.alarms.tagsOf(i.ResourceARN ?? '', account),
      }),
    }),
    tagging: fakeClient(world, 'tagging', {
      GetResources: (i: GetResourcesInput) => getResources(world.alarms, i, account),
    }),
    scheduler: fakeClient(world, 'scheduler', {
      CreateSchedule: (i: CreateScheduleInput) => {
        world.schedules.create(
          i.Name!,
          i.GroupName ?? 'default',
          i.ScheduleExpression!,
          i.ScheduleExpressionTimezone,
          i.Target!,
          i.ActionAfterCompletion,
        );
        return { ScheduleArn: `arn:aws:scheduler:us-east-1:111122223333:schedule/${i.GroupName}/${i.Name}` };
      },
      DeleteSchedule: (i: DeleteScheduleInput) => world.schedules.delete(i.Name!, i.GroupName ?? 'default'),
      ListSchedules: (i: ListSchedulesInput) => world.schedules.list(i),
    }),
    eventbridge: fakeClient(world, 'events', {
      PutEvents: (i: PutEventsRequest) => {
        let failed = 0;
        const entries = (i.Entries ?? []).map((entry) => {
          if (rejectsOnce(world, entry)) {
            failed++;
            return { ErrorCode: 'InternalFailure', ErrorMessage: 'the scenario rejects this entry once' };
          }
          const event = world.putOnBus(entry.EventBusName ?? 'default', entry);
          world.record({
            at: world.at(),
            kind: 'emitted',
            detailType: entry.DetailType ?? '',
            detail: event.detail,
          });
          return { EventId: event.id };
        });
        return { FailedEntryCount: failed, Entries: entries };
      },
    }),
    dynamodb: fakeClient(world, 'dynamodb', {
      GetItem: (i: GetItemInput) => ({ Item: world.tables.get(i.TableName!, i.Key!) }),
      Query: (i: QueryInput) =>
        world.tables.query(
          i.TableName!,
          withNames(i.KeyConditionExpression, i.ExpressionAttributeNames)!,
          i.ExpressionAttributeValues,
          withNames(i.FilterExpression, i.ExpressionAttributeNames),
          { forward: i.ScanIndexForward, limit: i.Limit, startKey: i.ExclusiveStartKey },
        ),
      PutItem: (i: PutItemInput) =>
        world.tables.put(i.TableName!, i.Item!, withNames(i.ConditionExpression, i.ExpressionAttributeNames)),
      DeleteItem: (i: DeleteItemInput) => {
        world.tables.delete(
          i.TableName!,
          i.Key!,
          withNames(i.ConditionExpression, i.ExpressionAttributeNames),
          i.ExpressionAttributeValues,
        );
        return {};
      },
      UpdateItem: (i: UpdateItemInput) =>
        world.tables.update(
          i.TableName!,
          i.Key!,
          withNames(i.UpdateExpression, i.ExpressionAttributeNames)!,
          i.ExpressionAttributeValues,
          withNames(i.ConditionExpression, i.ExpressionAttributeNames),
        ),
    }),
    ecs: fakeClient(world, 'ecs', {
      DescribeServices: (i: DescribeServicesRequest) =>
        world.ecs.describe(i.cluster ?? 'default', i.services ?? [], account),
      UpdateService: (i: UpdateServiceRequest) =>
        world.ecs.forceNewDeployment(i.cluster ?? 'default', i.service!, account),
    }),
    codedeploy: fakeClient(world, 'codedeploy', {
      GetDeployment: (i: GetDeploymentInput) => ({
        deploymentInfo: world.codedeploy.get(i.deploymentId!, account),
      }),
      GetDeploymentGroup: (i: GetDeploymentGroupInput) => ({
        deploymentGroupInfo: world.codedeploy.groupInfo(i.applicationName!, i.deploymentGroupName!, account),
      }),
      CreateDeployment: (i: CreateDeploymentInput) => ({
        deploymentId: world.codedeploy.create(
          i.applicationName!,
          i.deploymentGroupName!,
          i.revision!,
          account,
        ),
      }),
    }),
    ssm: fakeClient(world, 'ssm', {
      GetCalendarState: (i: GetCalendarStateRequest) => world.calendars.getCalendarState(i),
      GetParameter: (i: GetParameterRequest) => {
        const value = world.parameters.get(i.Name ?? '');
        if (value === undefined)
          throw new ParameterNotFound({ message: `${i.Name} not found`, $metadata: {} });
        return { Parameter: { Name: i.Name, Type: 'SecureString', Value: value, Version: 1 } };
      },
    }),
  };
}

/** A scenario's `failPutEvents`: the first armed pattern that matches the entry rejects it, once. */
function rejectsOnce(world: World, entry: PutEventsRequestEntry): boolean {
  const view = {
    source: entry.Source ?? '',
    'detail-type': entry.DetailType ?? '',
    detail: JSON.parse(entry.Detail ?? '{}') as unknown,
  };
  const armed = world.failPutEvents.findIndex((matches) => matches(view));
  if (armed < 0) return false;
  world.failPutEvents.splice(armed, 1);
  world.note(`PutEvents rejects ${view['detail-type']} (the scenario's failPutEvents)`);
  return true;
}
