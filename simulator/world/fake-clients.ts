import { assertValidCall } from '../validate-call';
import { faultError, takeFault } from './faults';
import { currentInvocation, dieAtTimeout, advanceWorld, never, type Invocation } from './lambda';
import type { FaultKind } from './faults';
import type { TimelineEntry } from './timeline';
import type { World } from './world';

type Command = { input: unknown; constructor: { name: string } };
type Operation = (input: never) => unknown;
export type FakeClient = { send(command: Command): Promise<never> };
type CallEntry = Extract<TimelineEntry, { kind: 'aws-call' }>;

/** AWS names its read operations with these verbs; every other operation changes something (STS AssumeRole: nothing). */
const READ = /^(Get|List|Describe|BatchGet|Query|Scan)|^AssumeRole$/;

/**
 * An AWS SDK v3 client stand-in: every command is checked against the API's constraints (as AWS would
 * reject it), recorded on the timeline, then answered by the world — unless a scenario's fault hits it.
 * A dead Lambda's code sends nothing.
 */
export function fakeClient(world: World, service: string, operations: Record<string, Operation>): FakeClient {
  return {
    async send(command: Command): Promise<never> {
      const invocation = currentInvocation();
      if (invocation?.dead) return never();
      const operation = command.constructor.name.replace(/Command$/, '');
      const input = command.input as Record<string, unknown>;
      const fault = takeFault(world.faults, service, operation, world.caller);
      if (fault === 'crash') {
        if (!invocation) throw new Error('simulator: a crash fault needs a Lambda invocation to end');
        world.record({ at: world.at(), kind: 'fault', caller: world.caller, service, operation, fault });
        invocation.die(`crash: the Lambda died just before ${service}.${operation}`);
        return never();
      }
      const entry: CallEntry = {
        at: world.at(),
        kind: 'aws-call',
        caller: world.caller,
        service,
        operation,
        write: !READ.test(operation),
        params: input,
      };
      world.record(entry);
      if (invocation) entry.roundTrip = invocation.callSent();
      try {
        return await answer(world, entry, invocation, fault, operations[operation], input);
      } finally {
        invocation?.callAnswered();
      }
    },
  };
}

/** The world's answer to one recorded call, or the scenario's fault. */
async function answer(
  world: World,
  entry: CallEntry,
  invocation: Invocation | undefined,
  fault: FaultKind | undefined,
  run: Operation | undefined,
  input: Record<string, unknown>,
): Promise<never> {
  const { service, operation } = entry;
  if (fault) entry.fault = fault;
  if (fault === 'hang') return hang(world, entry, invocation);
  if (fault && fault !== 'applied-then-lost')
    fail(entry, faultError(fault, service, operation, attempts(world)));
  try {
    if (!run) throw new Error(`simulator: ${service}.${operation} is not implemented`);
    assertValidCall(service, operation, input);
    const answer = (await run(input as never)) as never;
    if (fault) fail(entry, lost(service, operation, world));
    return answer;
  } catch (error) {
    if (fault && !entry.error) {
      // AWS refused it: nothing took effect, and the refusal is what got lost on the way back.
      entry.refusedAtAws = describe(error);
      const refusal = lost(service, operation, world);
      refusal.message = `${service}.${operation} was refused (${entry.refusedAtAws}); that answer was lost`;
      fail(entry, refusal);
    }
    if (!entry.error) entry.error = describe(error);
    throw error;
  }
}

const attempts = (world: World): number => world.clientTimeouts.attempts;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function fail(entry: CallEntry, error: Error): never {
  entry.error = describe(error);
  throw error;
}

/** The write took effect at AWS; its answer never came back (applied-then-lost). */
function lost(service: string, operation: string, world: World): Error {
  const error = faultError('applied-then-lost', service, operation, attempts(world));
  error.message = `${service}.${operation} took effect, its response was lost`;
  return error;
}

/**
 * The server accepts and never answers. With a request timeout the SDK gives up after each attempt's timeout
 * and throws `TimeoutError`, if the Lambda still has that long; otherwise the Lambda times out waiting.
 */
async function hang(world: World, entry: CallEntry, invocation: Invocation | undefined): Promise<never> {
  const { requestTimeoutMs, attempts } = world.clientTimeouts;
  const cost = requestTimeoutMs === undefined ? Infinity : requestTimeoutMs * attempts;
  const until = world.clock.nowMs() + cost;
  if (!invocation || until < invocation.deadline) {
    if (cost === Infinity) throw new Error('simulator: a hang without a request timeout needs a Lambda');
    advanceWorld(world, until);
    const error = faultError('hang', entry.service, entry.operation, attempts);
    error.message = `Connection timed out after ${requestTimeoutMs} ms (${attempts} attempts)`;
    return fail(entry, error);
  }
  entry.error = `hang: no answer before the Lambda's timeout`;
  return dieAtTimeout(world, invocation);
}
