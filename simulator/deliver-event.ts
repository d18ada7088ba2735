import { ACCOUNT } from './world/aws-event';
import { functionSettings } from './function-settings';
import type { GuardFunction } from './guard-functions';
import { matchesPattern } from './event-pattern';
import type { AwsEvent } from './world/aws-event';
import { Invocation, invoke } from './world/lambda';
import type { TimelineEntry } from './world/timeline';
import type { Delivery, World } from './world/world';

export type Route = { name: string; rule: { bus: string; pattern: Record<string, unknown> } };
/** A delivery, or Lambda's retry of it to one function. */
export type Attempt = Delivery & { only?: string; attempt?: number };

/**
 * Lambda's asynchronous invocation (every EventBridge target): a failed or dead invocation is tried again
 * about 1 minute later, then about 2 minutes after that (../shared/toolchain.md), up to the function's
 * `maximumRetryAttempts`; then the event goes to its on-failure destination.
 */
export const RETRY_DELAYS_MS = [60_000, 120_000];

/** EventBridge hands the event to every function whose rule matches; each runs as one Lambda invocation. */
export async function deliverOne(
  world: World,
  d: Attempt,
  routes: Route[],
  functions: Record<string, GuardFunction>,
  delivered: AwsEvent[],
): Promise<void> {
  const targets = routes
    .filter((r) => r.rule.bus === d.bus && matchesPattern(r.rule.pattern, d.event))
    .map((r) => r.name);
  const names = d.only ? targets.filter((t) => t === d.only) : targets;
  delivered.push(d.event);
  world.record({
    at: world.at(),
    kind: 'event',
    bus: d.bus,
    detailType: d.event['detail-type'],
    id: d.event.id,
    summary: summarize(d.event),
    delivered: names,
    ...(d.event.source.startsWith('aws.') && d.event.account !== ACCOUNT
      ? { fromAccount: d.event.account }
      : {}),
  });
  for (const name of names) await invokeFunction(world, d, name, functions[name]!);
}

async function invokeFunction(world: World, d: Attempt, name: string, fn: GuardFunction): Promise<void> {
  const settings = functionSettings(name);
  const attempt = d.attempt ?? 1;
  world.caller = name;
  const before = world.timeline.length;
  const invocation = new Invocation(name, attempt, world.clock.nowMs(), settings.timeoutMs);
  const outcome = await invoke(world, invocation, async (context) => {
    // Lambda hands each invocation its own copy of the event, parsed from JSON (half structuredClone's cost).
    await fn(JSON.parse(JSON.stringify(d.event)) as AwsEvent, context);
  });
  world.caller = name;
  const error = outcome.died ?? outcome.error;
  const all = world.timeline.slice(before).filter((t) => t.kind === 'aws-call' && t.caller === name);
  const calls = all.filter((c) => c.kind === 'aws-call' && !isAnnouncing(c.operation, c.params));
  const writes = calls.filter((c) => c.kind === 'aws-call' && c.write).length;
  world.record({
    at: world.at(),
    kind: 'invocation',
    function: name,
    trigger: d.event['detail-type'],
    calls: calls.length,
    reads: calls.length - writes,
    writes,
    roundTrips: roundTripsOf(calls),
    announced: all.length - calls.length,
    attempt,
    ...(error === undefined ? {} : { error }),
    ...(outcome.died ? { died: true as const } : {}),
  });
  if (error !== undefined) retryOrDeadLetter(world, d, name, attempt, error);
  world.caller = 'scenario';
}

function retryOrDeadLetter(world: World, d: Attempt, name: string, attempt: number, error: string): void {
  const settings = functionSettings(name);
  if (attempt <= settings.retryAttempts) {
    const delay = RETRY_DELAYS_MS[attempt - 1] ?? RETRY_DELAYS_MS.at(-1)!;
    world.clock.schedule(world.clock.nowMs() + delay, () =>
      world.inbox.push({ ...d, only: name, attempt: attempt + 1 } as Delivery),
    );
    return;
  }
  if (!settings.onFailure) {
    world.note(`${name} drops ${d.event['detail-type']} ${d.event.id.slice(0, 8)} after ${attempt} attempts`);
    return;
  }
  world.deadLetters.push({
    function: name,
    event: d.event,
    attempts: attempt,
    error,
    atMs: world.clock.nowMs(),
  });
  world.record({
    at: world.at(),
    kind: 'dlq',
    function: name,
    eventId: d.event.id,
    detailType: d.event['detail-type'],
    attempts: attempt,
    error,
  });
}

/** The distinct round trips the calls were sent in (an announcing call's own round trip is counted apart). */
function roundTripsOf(calls: TimelineEntry[]): number {
  return new Set(calls.map((c) => (c.kind === 'aws-call' ? c.roundTrip : undefined))).size;
}

/** Announcing a decision is counted apart from deciding and acting: PutEvents and its outbox item. */
function isAnnouncing(operation: string, params: Record<string, unknown>): boolean {
  const item = (params.Item ?? params.Key) as { executionId?: { S?: string } } | undefined;
  return operation === 'PutEvents' || (item?.executionId?.S?.startsWith('announce#') ?? false);
}

function summarize(e: AwsEvent): string {
  const d = e.detail as Record<string, unknown>;
  const exec =
    typeof d['execution-id'] === 'string'
      ? d['execution-id'].slice(0, 8)
      : typeof d.executionId === 'string'
        ? d.executionId.slice(0, 8)
        : undefined;
  const state = d.state && typeof d.state === 'object' ? (d.state as { value?: string }).value : d.state;
  const tile = [d.service, d.eventName, d.deploymentId];
  return [d.pipeline, d.stage, d.action, d.alarmName, exec, state, ...tile].filter(Boolean).join(' ');
}

/**
 * A person's request to a function URL (AWS_IAM): one synchronous invocation, no retries (the caller sees the
 * error), signed by `callerArn` as IAM would put it in the request context. Returns the function's HTTP answer.
 */
export async function invokeUrl(
  world: World,
  name: string,
  fn: GuardFunction,
  request: { callerArn: string; body: unknown },
): Promise<{ statusCode?: number; body?: string } | undefined> {
  const account = request.callerArn.split(':')[4] ?? '';
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: 'anonymous',
      requestId: world.ids(),
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'release-guard',
      },
      authorizer: { iam: { userArn: request.callerArn, accountId: account, callerId: `AIDASIM:${account}` } },
    },
    body: JSON.stringify(request.body),
    isBase64Encoded: false,
  };
  return invokeUrlEvent(world, name, fn, event);
}

/** One synchronous invocation of a function URL with this event (IAM-signed above, or Slack-signed: slackClick). */
export async function invokeUrlEvent(
  world: World,
  name: string,
  fn: GuardFunction,
  event: unknown,
): Promise<{ statusCode?: number; body?: string } | undefined> {
  const settings = functionSettings(name);
  world.caller = name;
  const before = world.timeline.length;
  const invocation = new Invocation(name, 1, world.clock.nowMs(), settings.timeoutMs);
  let answer: { statusCode?: number; body?: string } | undefined;
  const outcome = await invoke(world, invocation, async (context) => {
    answer = (await fn(event, context)) as typeof answer;
  });
  world.caller = name;
  const error = outcome.died ?? outcome.error;
  const calls = world.timeline.slice(before).filter((t) => t.kind === 'aws-call' && t.caller === name);
  const writes = calls.filter((c) => c.kind === 'aws-call' && c.write).length;
  world.record({
    at: world.at(),
    kind: 'invocation',
    function: name,
    trigger: 'function URL',
    calls: calls.length,
    reads: calls.length - writes,
    writes,
    roundTrips: roundTripsOf(calls),
    announced: 0,
    attempt: 1,
    ...(error === undefined ? {} : { error }),
    ...(outcome.died ? { died: true as const } : {}),
  });
  world.caller = 'scenario';
  return error === undefined
    ? answer
    : { statusCode: 502, body: JSON.stringify({ ok: false, message: error }) };
}
