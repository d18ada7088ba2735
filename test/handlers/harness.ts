/**
 * Shared Prepare helpers for handler tests: the guard's configuration and deployment, a logger that keeps
 * what it was told, a Lambda context, and a reader for the events the handler put on the guard's bus.
 */
import {
  PutEventsCommand,
  type EventBridgeClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-eventbridge';
import {
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClientResolvedConfig,
  type ServiceInputTypes as DynamoInput,
  type ServiceOutputTypes as DynamoOutput,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { AwsStub } from 'aws-sdk-client-mock';
import { expect } from 'vitest';

import type { Deployment } from '../../config/runtime';
import { parseGuardConfig, type GuardConfig } from '../../config/schema';
import type { GuardLogger } from '../../lib/reaction';

export const deployment: Deployment = {
  busName: 'leadout-release-guard-dev',
  busArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/leadout-release-guard-dev',
  ledgerTable: 'leadout-release-guard-dev-ledger',
  scheduleGroup: 'leadout-release-guard-dev',
  schedulerRoleArn: 'arn:aws:iam::444455556666:role/leadout-release-guard-dev-scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:444455556666:leadout-release-guard-dlq',
};

export function guardConfig(change: Record<string, unknown> = {}): GuardConfig {
  return parseGuardConfig({
    mode: 'enforce',
    slackWebhookParameter: '/leadout/release-guard/slack-webhook',
    pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
    ...change,
  });
}

export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; extra: unknown[] };

/** A GuardLogger that records every call, so a test can assert what was logged and with which event id. */
export function captureLogger(): { logger: GuardLogger; entries: LogEntry[]; correlationIds: unknown[] } {
  const entries: LogEntry[] = [];
  const correlationIds: unknown[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: unknown, ...extra: unknown[]): void => {
      entries.push({ level, message: String(message), extra });
    };
  const logger: GuardLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    setCorrelationId: (value: unknown) => {
      correlationIds.push(value);
    },
  };
  return { logger, entries, correlationIds };
}

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'leadout-release-guard-dev-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:leadout-release-guard-dev-test',
  memoryLimitInMB: '256',
  awsRequestId: '5b0c7a4e-2f1d-4c8b-9e3a-6d4f2b1c0a97',
  logGroupName: '/aws/lambda/leadout-release-guard-dev-test',
  logStreamName: '2026/05/12/[$LATEST]0a1b2c3d4e5f',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export type Emitted = { source: string | undefined; detailType: string | undefined; detail: unknown };

/** What the handler put on the guard's bus, in order (every entry must go to the guard's bus, none elsewhere). */
export function emitted(
  eventBridge: AwsStub<ServiceInputTypes, ServiceOutputTypes, EventBridgeClientResolvedConfig>,
): Emitted[] {
  const entries = eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? []);
  expect(entries.map((entry) => entry.EventBusName)).toEqual(entries.map(() => deployment.busName));
  return entries.map((entry) => ({
    source: entry.Source,
    detailType: entry.DetailType,
    detail: JSON.parse(entry.Detail ?? 'null') as unknown,
  }));
}

/** Assess step for an event the reaction ignores: not one call to any of the mocked clients. */
export function expectNoAwsCall(mocks: readonly unknown[]): void {
  for (const mock of mocks) {
    // The guard's own senders (test/support/fake-scheduler.ts) list the operations they were sent.
    if (typeof (mock as { operations?: unknown }).operations === 'function')
      expect((mock as { operations: () => unknown[] }).operations()).toEqual([]);
    else expect(mock).not.toHaveReceivedAnyCommand();
  }
}

/** Assess step shared by every reaction: an invalid event was dropped without any AWS call, logged once with its id. */
export function expectDroppedInvalid(
  event: { id: string },
  log: ReturnType<typeof captureLogger>,
  mocks: readonly unknown[],
): void {
  expectNoAwsCall(mocks);
  const warnings = log.entries.filter((e) => e.level === 'warn');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]?.extra[0]).toMatchObject({ eventId: event.id, invalidEvent: true });
  expect(log.correlationIds).toEqual([event.id]);
}

/**
 * The announcement the handler staged in its outbox (the PutItem of an `announce#…` item): a retry's GetItem
 * is answered with it, as DynamoDB would after the first attempt's PutEvents failed.
 */
export function stagedAnnouncement(
  dynamo: AwsStub<DynamoInput, DynamoOutput, DynamoDBClientResolvedConfig>,
): Record<string, AttributeValue> | undefined {
  return dynamo
    .commandCalls(PutItemCommand)
    .map((call) => call.args[0].input.Item)
    .find((item) => item?.executionId?.S?.startsWith('announce#'));
}

/** PutEvents accepts every entry, as the guard's bus normally does. */
export function acceptPutEvents(
  eventBridge: AwsStub<ServiceInputTypes, ServiceOutputTypes, EventBridgeClientResolvedConfig>,
): void {
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
}

/** PutEvents rejects its entry once (FailedEntryCount 1), then accepts every later call. */
export function failPutEventsOnce(
  eventBridge: AwsStub<ServiceInputTypes, ServiceOutputTypes, EventBridgeClientResolvedConfig>,
): void {
  eventBridge
    .on(PutEventsCommand)
    .resolvesOnce({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    })
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'c0ffee00-2222-4a5b-8c9d-0e1f2a3b4c5d' }] });
}

/** What EventBridge delivers for a `rate(…)` schedule rule of the guard's stack; a fresh object per call. */
export const scheduledEvent = (rule: string) => ({
  version: '0',
  id: '9c1e2f3a-4b5c-4d6e-8f7a-0b1c2d3e4f5a',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '444455556666',
  time: '2026-05-12T10:20:00Z',
  region: 'eu-west-1',
  resources: [`arn:aws:events:eu-west-1:444455556666:rule/leadout-release-guard-dev-${rule}`],
  detail: {},
});
