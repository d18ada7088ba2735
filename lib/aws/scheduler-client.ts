import { randomUUID } from 'node:crypto';

import { namingCalls } from '../act/calls';
import { clientSettings } from './client-settings';
import {
  MalformedAwsResponseError,
  restJson1,
  type RestJsonRequest,
  type SignedCallSettings,
} from './signed-call';

/**
 * The three EventBridge Scheduler operations the guard calls, over lib/aws/signed-call.ts (restJson1, signing name
 * and endpoint `scheduler`) instead of @aws-sdk/client-scheduler, which with @smithy/core's HTTP-binding protocol
 * adds ~8 KiB zipped to each function that sets or sweeps timers. The URIs and query names are botocore's model
 * (scheduler 2021-06-30). The commands keep the SDK's names and input shapes, so the simulator's fake Scheduler
 * (which reads the operation from the class name) answers them unchanged. AWS's errors keep their code as `name`
 * (ConflictException, ResourceNotFoundException): callers check the name, not a class.
 */
export type ScheduleTarget = {
  Arn: string;
  RoleArn: string;
  EventBridgeParameters?: { Source: string; DetailType: string };
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
};

export type CreateScheduleInput = {
  Name: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  Description?: string;
  Target: ScheduleTarget;
  /** Default: a fresh UUID per send, as the SDK fills the idempotency token (its retries send the same one). */
  ClientToken?: string;
};
export type DeleteScheduleInput = { Name: string; GroupName?: string; ClientToken?: string };
export type ListSchedulesInput = {
  GroupName?: string;
  NamePrefix?: string;
  State?: 'ENABLED' | 'DISABLED';
  MaxResults?: number;
  NextToken?: string;
};

export type CreateScheduleOutput = { ScheduleArn?: string };
export type DeleteScheduleOutput = Record<string, never>;
export type ScheduleSummary = {
  Arn?: string;
  Name?: string;
  GroupName?: string;
  State?: string;
  /** Epoch seconds on the wire; a Date here, as the SDK gives it. */
  CreationDate?: Date;
  LastModificationDate?: Date;
  Target?: { Arn?: string };
};
export type ListSchedulesOutput = { Schedules?: ScheduleSummary[]; NextToken?: string };

export class CreateScheduleCommand {
  /** Minified bundles rename classes: lib/act/calls.ts `operationOf` reads this. */
  readonly operation = 'CreateSchedule';
  constructor(readonly input: CreateScheduleInput) {}
}

export class DeleteScheduleCommand {
  readonly operation = 'DeleteSchedule';
  constructor(readonly input: DeleteScheduleInput) {}
}

export class ListSchedulesCommand {
  readonly operation = 'ListSchedules';
  constructor(readonly input: ListSchedulesInput) {}
}

export type SchedulerCommand = CreateScheduleCommand | DeleteScheduleCommand | ListSchedulesCommand;
type OutputOf<C> = C extends CreateScheduleCommand
  ? CreateScheduleOutput
  : C extends DeleteScheduleCommand
    ? DeleteScheduleOutput
    : C extends ListSchedulesCommand
      ? ListSchedulesOutput
      : never;

export type SchedulerClient = { send<C extends SchedulerCommand>(command: C): Promise<OutputOf<C>> };

/** The operation's HTTP binding (botocore: CreateSchedule, DeleteSchedule, ListSchedules). */
export function schedulerRequest(command: SchedulerCommand): RestJsonRequest {
  if (command instanceof CreateScheduleCommand) {
    const { Name, ...body } = command.input;
    return {
      method: 'POST',
      path: '/schedules/{Name}',
      labels: { Name },
      body: { ...body, ClientToken: body.ClientToken ?? randomUUID() },
    };
  }
  if (command instanceof DeleteScheduleCommand) {
    const { Name, GroupName, ClientToken } = command.input;
    return {
      method: 'DELETE',
      path: '/schedules/{Name}',
      labels: { Name },
      query: { groupName: GroupName, clientToken: ClientToken ?? randomUUID() },
    };
  }
  const { GroupName, NamePrefix, State, MaxResults, NextToken } = command.input;
  return {
    method: 'GET',
    path: '/schedules',
    query: { ScheduleGroup: GroupName, NamePrefix, State, MaxResults, NextToken },
  };
}

/** ListSchedules' answer with its timestamps (epoch seconds) as Dates; a timestamp of another type is refused. */
function listOutput(raw: Record<string, unknown>): ListSchedulesOutput {
  const schedules = raw.Schedules;
  if (schedules !== undefined && !Array.isArray(schedules)) {
    throw new MalformedAwsResponseError('scheduler.ListSchedules answered Schedules that is not a list');
  }
  return {
    ...(raw as ListSchedulesOutput),
    Schedules: (schedules as Record<string, unknown>[] | undefined)?.map((s) => ({
      ...(s as ScheduleSummary),
      CreationDate: epochDate(s.CreationDate, 'CreationDate'),
      LastModificationDate: epochDate(s.LastModificationDate, 'LastModificationDate'),
    })),
  };
}

function epochDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new MalformedAwsResponseError(
      `scheduler.ListSchedules answered a ${field} that is not epoch seconds`,
    );
  }
  return new Date(Math.round(seconds * 1000));
}

/** Scheduler as every handler builds it: the guard's timeouts and retries, errors naming their call. */
export function schedulerClient(settings: SignedCallSettings = clientSettings()): SchedulerClient {
  const call = restJson1('scheduler', settings);
  const client: SchedulerClient = {
    send: async <C extends SchedulerCommand>(command: C) => {
      const raw = await call(command.operation, schedulerRequest(command));
      return (command instanceof ListSchedulesCommand ? listOutput(raw) : raw) as OutputOf<C>;
    },
  };
  return namingCalls(client, 'scheduler');
}
