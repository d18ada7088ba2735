import { matchesPattern } from './event-pattern';
import type { Expectation, Scenario } from './scenario';
import type { World } from './world/world';

export type ExpectationResult = { expectation: Expectation; met: boolean; actual: string };

/** A scenario's `expect` list, checked against what happened; an unmet one makes `simulate` exit non-zero. */
export function checkExpectations(scenario: Scenario, world: World): ExpectationResult[] {
  return scenario.expect.map((expectation) => check(expectation, world));
}

function check(x: Expectation, world: World): ExpectationResult {
  if ('emitted' in x) {
    const ids = x.commit ? executionsOf(world, x.commit) : undefined;
    const found = world.timeline.filter(
      (t) =>
        t.kind === 'emitted' &&
        t.detailType === x.emitted &&
        (!ids || ids.includes(String(t.detail.executionId))) &&
        (!x.where || matchesPattern(x.where, t.detail)),
    ).length;
    return counted(x, found, x.count);
  }
  if ('answer' in x) {
    const found = world.answers.filter(
      (a) =>
        a.status === x.answer &&
        (x.command === undefined || a.command === x.command) &&
        (x.says === undefined || a.message.includes(x.says)),
    );
    return counted(x, found.length, x.count);
  }
  if ('call' in x) {
    const [service, operation] = x.call.split('.');
    const found = world.timeline.filter(
      (t) =>
        t.kind === 'aws-call' &&
        t.service === service &&
        t.operation === operation &&
        !t.error &&
        (!x.where || matchesPattern(x.where, t.params)),
    ).length;
    return counted(x, found, x.count);
  }
  if ('execution' in x) {
    const statuses = [...world.pipelines.values()].flatMap((p) =>
      [...p.executions.values()].filter((e) => e.commitId === x.execution.commit).map((e) => e.status),
    );
    return {
      expectation: x,
      met: statuses.includes(x.execution.status as never),
      actual: statuses.join(', ') || 'no execution',
    };
  }
  if ('slack' in x) {
    const found = world.timeline.filter((t) => t.kind === 'slack' && t.text.includes(x.slack)).length;
    return counted(x, found, x.count);
  }
  if ('sentBy' in x) return sentBy(x, x.sentBy, world);
  if ('dlq' in x) {
    return counted(x, world.deadLetters.filter((d) => d.function === x.dlq).length, x.count);
  }
  const {
    function: fn,
    calls = Infinity,
    reads = Infinity,
    writes = Infinity,
    roundTrips = Infinity,
  } = x.maxCalls;
  const runs = world.timeline.flatMap((t) => (t.kind === 'invocation' && t.function === fn ? [t] : []));
  const mostCalls = Math.max(0, ...runs.map((r) => r.calls));
  const mostReads = Math.max(0, ...runs.map((r) => r.reads));
  const mostWrites = Math.max(0, ...runs.map((r) => r.writes));
  const mostRoundTrips = Math.max(0, ...runs.map((r) => r.roundTrips));
  const within =
    mostCalls <= calls && mostReads <= reads && mostWrites <= writes && mostRoundTrips <= roundTrips;
  return {
    expectation: x,
    met: runs.length > 0 && within,
    actual: `${runs.length} invocations; at most ${mostCalls} calls, ${mostReads} reads, ${mostWrites} writes, ${mostRoundTrips} round trips in one`,
  };
}

/** The round trip `call` was sent in, in each invocation of `function` that made it. */
function sentBy(
  x: Expectation,
  want: { function: string; call: string; roundTrip: number },
  world: World,
): ExpectationResult {
  const [service, operation] = want.call.split('.');
  const seen: number[] = [];
  let first: number | undefined;
  for (const t of world.timeline) {
    if (t.kind === 'aws-call' && t.caller === want.function && t.service === service) {
      if (t.operation === operation && first === undefined) first = t.roundTrip;
    }
    if (t.kind === 'invocation' && t.function === want.function) {
      if (first !== undefined) seen.push(first);
      first = undefined;
    }
  }
  return {
    expectation: x,
    met: seen.length > 0 && seen.every((n) => n <= want.roundTrip),
    actual: `sent in round trip ${seen.join(', ') || 'never'}`,
  };
}

function counted(x: Expectation, found: number, count: number | undefined): ExpectationResult {
  return { expectation: x, met: count === undefined ? found > 0 : found === count, actual: `${found} found` };
}

function executionsOf(world: World, commit: string): string[] {
  return [...world.pipelines.values()].flatMap((p) =>
    [...p.executions.values()].filter((e) => e.commitId === commit).map((e) => e.id),
  );
}
