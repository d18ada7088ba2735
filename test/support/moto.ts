/**
 * Helpers for tests that talk to the local moto_server started by test/setup/moto-server.ts.
 * Nothing here may reach AWS: every client is pointed at the given moto endpoint with dummy credentials.
 */
import { randomUUID } from 'node:crypto';

import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

import type { EventPattern } from '../../simulator/event-pattern';

export interface MotoClientConfig {
  endpoint: string;
  region: 'us-east-1';
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function motoClientConfig(endpoint: string): MotoClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** An EventBridge envelope as a rule sees it. Only these fields can be set through PutEvents. */
export interface ProbeEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
  resources?: string[];
  /** ISO-8601; sent as PutEvents `Time`. */
  time?: string;
}

export interface CheckPatternOptions {
  /** Long-poll wait of the final, empty ReceiveMessage (seconds). Default 1. */
  waitTimeSeconds?: number;
  /** Unique part of the bus, rule and queue names (probe-bus-<suffix>, ...). Default: random. */
  suffix?: string;
}

/** Envelope fields PutEvents cannot set: moto fills them in itself, so patterns on them cannot be probed. */
const UNSETTABLE_FIELDS = ['id', 'account', 'region', 'version'];

function usedTopLevelFields(pattern: Record<string, unknown>, out = new Set<string>()): Set<string> {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(value)) {
      for (const branch of value) {
        if (typeof branch === 'object' && branch !== null)
          usedTopLevelFields(branch as Record<string, unknown>, out);
      }
    } else {
      out.add(key);
    }
  }
  return out;
}

/** JSON with object keys sorted, so the same content always gives the same string. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What identifies an event among the ones we sent: every field we control except `time` (moto rewrites it). */
function contentKey(event: {
  source?: unknown;
  'detail-type'?: unknown;
  resources?: unknown;
  detail?: unknown;
}): string {
  return canonical({
    source: event.source,
    'detail-type': event['detail-type'],
    resources: event.resources ?? [],
    detail: event.detail,
  });
}

async function bestEffort(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch {
    // cleanup must not hide the test's own result
  }
}

/**
 * Asks moto's EventBridge whether `pattern` matches each of `events`: creates a uniquely named custom bus, an
 * SQS queue, a rule with the pattern and the queue as target, sends every event with PutEvents, drains the
 * queue and reports, per event, whether it was delivered. Everything is deleted afterwards.
 *
 * Identifying delivered events: the events are NOT tagged (a marker in `resources` or `detail` could change
 * the outcome of patterns that use `exists`, `anything-but` or arrays on those fields). Each delivered message
 * is instead mapped back to a sent event by its content (source, detail-type, resources, detail). Events with
 * identical content necessarily share their outcome, so counting deliveries per content is exact.
 *
 * Limits: patterns on `id`, `account`, `region` or `version` are rejected (PutEvents cannot set them); each
 * event needs `source`, `detail-type` and an object `detail` (PutEvents requires them).
 */
export async function checkPatternOnMoto(
  endpoint: string,
  pattern: EventPattern,
  events: readonly ProbeEvent[],
  options: CheckPatternOptions = {},
): Promise<boolean[]> {
  const unusable = [...usedTopLevelFields(pattern)].filter((f) => UNSETTABLE_FIELDS.includes(f));
  if (unusable.length > 0) {
    throw new Error(`checkPatternOnMoto: PutEvents cannot set ${unusable.join(', ')}; pattern not usable`);
  }
  for (const [i, event] of events.entries()) {
    if (typeof event.detail !== 'object' || event.detail === null || Array.isArray(event.detail)) {
      throw new Error(`checkPatternOnMoto: event ${i} needs an object detail`);
    }
  }

  const config = motoClientConfig(endpoint);
  const eventBridge = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  const suffix = options.suffix ?? randomUUID().slice(0, 13);
  const busName = `probe-bus-${suffix}`;
  const ruleName = `probe-rule-${suffix}`;
  const targetId = 'probe-queue';
  let busCreated = false;
  let ruleCreated = false;
  let queueUrl: string | undefined;

  try {
    await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
    busCreated = true;
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `probe-queue-${suffix}` }));
    queueUrl = queue.QueueUrl;
    if (!queueUrl) throw new Error('moto returned no QueueUrl');
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = attributes.Attributes?.QueueArn;
    if (!queueArn) throw new Error('moto returned no QueueArn');

    await eventBridge.send(
      new PutRuleCommand({
        Name: ruleName,
        EventBusName: busName,
        EventPattern: JSON.stringify(pattern),
        State: 'ENABLED',
      }),
    );
    ruleCreated = true;
    await eventBridge.send(
      new PutTargetsCommand({
        Rule: ruleName,
        EventBusName: busName,
        Targets: [{ Id: targetId, Arn: queueArn }],
      }),
    );

    const entries: PutEventsRequestEntry[] = events.map((event) => ({
      EventBusName: busName,
      Source: event.source,
      DetailType: event['detail-type'],
      Detail: JSON.stringify(event.detail),
      Resources: event.resources,
      Time: event.time === undefined ? undefined : new Date(event.time),
    }));
    for (let start = 0; start < entries.length; start += 10) {
      const result = await eventBridge.send(
        new PutEventsCommand({ Entries: entries.slice(start, start + 10) }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        throw new Error(`PutEvents rejected entries: ${JSON.stringify(result.Entries)}`);
      }
    }

    const delivered = new Map<string, number>();
    let received = 0;
    for (;;) {
      const allIn = received >= events.length;
      const batch = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: allIn ? 0 : (options.waitTimeSeconds ?? 1),
          VisibilityTimeout: 60,
        }),
      );
      const messages = batch.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        const body = JSON.parse(message.Body ?? 'null') as Parameters<typeof contentKey>[0];
        const key = contentKey(body);
        delivered.set(key, (delivered.get(key) ?? 0) + 1);
        received++;
      }
    }

    return events.map((event) => {
      const key = contentKey(event);
      const left = delivered.get(key) ?? 0;
      if (left === 0) return false;
      delivered.set(key, left - 1);
      return true;
    });
  } finally {
    if (ruleCreated) {
      await bestEffort(() =>
        eventBridge.send(
          new RemoveTargetsCommand({ Rule: ruleName, EventBusName: busName, Ids: [targetId] }),
        ),
      );
      await bestEffort(() =>
        eventBridge.send(new DeleteRuleCommand({ Name: ruleName, EventBusName: busName })),
      );
    }
    if (busCreated) await bestEffort(() => eventBridge.send(new DeleteEventBusCommand({ Name: busName })));
    if (queueUrl !== undefined) {
      const url = queueUrl;
      await bestEffort(() => sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
    }
    eventBridge.destroy();
    sqs.destroy();
  }
}
