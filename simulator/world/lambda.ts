import { AsyncLocalStorage } from 'node:async_hooks';
import type { World } from './world';

/** Lambda's own words for an invocation that ran out of time. */
export const timedOut = (timeoutMs: number): string =>
  `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;

/**
 * One invocation of a guard function: it has until `deadline` (virtual time), and once it dies (a crash, its
 * timeout) its code never runs again — every AWS call, sleep or log line it still attempts goes nowhere.
 */
export class Invocation {
  readonly deadline: number;
  dead: string | undefined;
  readonly death: Promise<string>;
  #signal: (reason: string) => void = () => undefined;

  constructor(
    readonly functionName: string,
    readonly attempt: number,
    readonly startMs: number,
    readonly timeoutMs: number,
  ) {
    this.deadline = startMs + timeoutMs;
    this.death = new Promise((resolve) => (this.#signal = resolve));
  }

  #inFlight = 0;
  /** Round trips so far: a call sent while none of this invocation's calls is in flight starts a new one. */
  roundTrips = 0;

  /** A call is sent: the round trip it belongs to (calls whose times overlap share one). */
  callSent(): number {
    if (this.#inFlight === 0) this.roundTrips++;
    this.#inFlight++;
    return this.roundTrips;
  }

  callAnswered(): void {
    this.#inFlight--;
  }

  die(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    this.#signal(reason);
  }
}

const running = new AsyncLocalStorage<Invocation>();

/** The invocation whose code is running now (followed through every await), if any. */
export function currentInvocation(): Invocation | undefined {
  return running.getStore();
}

/** What a dead invocation's code waits on: nothing ever answers. A fresh promise, so the code can be freed. */
export function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}

export type InvocationOutcome = { error?: string; died?: string };

/**
 * Runs a handler as Lambda does: with a context whose remaining time follows the virtual clock, until it
 * returns, throws, or dies (then it is abandoned where it stands).
 */
export async function invoke(
  world: World,
  invocation: Invocation,
  handler: (context: LambdaContext) => Promise<void>,
): Promise<InvocationOutcome> {
  const context = lambdaContext(world, invocation);
  const ran = running.run(invocation, () =>
    handler(context).then(
      (): InvocationOutcome => ({}),
      (e: unknown): InvocationOutcome => ({
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      }),
    ),
  );
  const died = invocation.death.then((reason): InvocationOutcome => ({ died: reason }));
  return Promise.race([ran, died]);
}

export type LambdaContext = {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis: () => number;
  callbackWaitsForEmptyEventLoop: boolean;
};

function lambdaContext(world: World, invocation: Invocation): LambdaContext {
  return {
    functionName: invocation.functionName,
    awsRequestId: `sim-${invocation.functionName}-${invocation.startMs}-${invocation.attempt}`,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - world.clock.nowMs()),
    callbackWaitsForEmptyEventLoop: false,
  };
}

/** Moves the clock while a handler waits: world happenings run, event deliveries wait for the handler. */
export function advanceWorld(world: World, until: number): void {
  for (let due = world.clock.takeDue(until); due; due = world.clock.takeDue(until)) due();
  world.clock.advanceTo(until);
}

/**
 * A handler's sleep inside the Lambda model: a sleep past the invocation's deadline ends in its timeout.
 * Outside an invocation (a unit test) the clock just moves.
 */
export async function lambdaSleep(world: World, ms: number): Promise<void> {
  const invocation = currentInvocation();
  if (invocation?.dead) return never();
  const until = world.clock.nowMs() + ms;
  if (invocation && until >= invocation.deadline) return dieAtTimeout(world, invocation);
  advanceWorld(world, until);
}

/** The invocation runs out of time: the clock moves to its deadline and it dies there. */
export function dieAtTimeout(world: World, invocation: Invocation): Promise<never> {
  advanceWorld(world, invocation.deadline);
  invocation.die(timedOut(invocation.timeoutMs));
  return never();
}
