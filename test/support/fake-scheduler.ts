/**
 * Scheduler's side of a handler test: the guard calls it over lib/aws/scheduler-client.ts (its own command
 * classes, no SDK client for aws-sdk-client-mock to mock), so tests give the narrow modules this sender. Its wire
 * protocol is tested in test/unit/scheduler-client.test.ts (stand-in) and test/contract/scheduler-moto.test.ts.
 */
import { vi } from 'vitest';

import type {
  CreateScheduleInput,
  DeleteScheduleInput,
  ListSchedulesInput,
  SchedulerClient,
  SchedulerCommand,
} from '../../lib/aws/scheduler-client';

type Inputs = {
  CreateSchedule: CreateScheduleInput;
  DeleteSchedule: DeleteScheduleInput;
  ListSchedules: ListSchedulesInput;
};
type Operation = keyof Inputs;
type Answer = (input: never) => unknown;

export function fakeScheduler() {
  /** As aws-sdk-client-mock: one-time answers first, in order, then the last permanent one. */
  const once = new Map<Operation, Answer[]>();
  const always = new Map<Operation, Answer>();
  const send = vi.fn(async (command: SchedulerCommand): Promise<unknown> => {
    const answer = once.get(command.operation)?.shift() ?? always.get(command.operation);
    if (!answer) throw new Error(`fake Scheduler: no answer set for ${command.operation}`);
    return (answer as (input: unknown) => unknown)(command.input);
  });
  const on = <O extends Operation>(operation: O) => {
    const builder = {
      resolves: (output: unknown) => builder.callsFake(() => output),
      rejects: (error: Error) => builder.callsFake(() => Promise.reject(error)),
      rejectsOnce: (error: Error) => {
        once.set(operation, [...(once.get(operation) ?? []), () => Promise.reject(error)]);
        return builder;
      },
      callsFake: (answer: (input: Inputs[O]) => unknown) => {
        always.set(operation, answer as Answer);
        return builder;
      },
    };
    return builder;
  };
  return {
    client: { send } as unknown as SchedulerClient,
    on,
    /** The inputs of the calls of `operation`, in order. */
    inputs: <O extends Operation>(operation: O): Inputs[O][] =>
      send.mock.calls.filter(([c]) => c.operation === operation).map(([c]) => c.input as Inputs[O]),
    /** Every call's operation, in order. */
    operations: (): Operation[] => send.mock.calls.map(([c]) => c.operation),
    reset() {
      once.clear();
      always.clear();
      send.mockClear();
    },
    /** Forgets the calls, keeps the answers (aws-sdk-client-mock's resetHistory). */
    resetHistory() {
      send.mockClear();
    },
    /** Nothing to restore (as aws-sdk-client-mock's restore, for the tests' lists of mocks). */
    restore() {},
  };
}

export type FakeScheduler = ReturnType<typeof fakeScheduler>;
