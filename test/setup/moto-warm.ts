/**
 * moto_server imports a service's backend on that service's first request: ~0.8 s for SSM and ~1.2 s for the
 * tagging API on a quiet 2-core machine, many times that while the property tests hold both cores. A test's
 * `beforeAll` that happened to make the first SSM call once ran past vitest's hook timeout (CI, 2026-12-03).
 * globalSetup therefore makes one cheap read of every service the suite uses before any test file starts.
 *
 * Best effort: a service that fails to answer here is left to the test that needs it, which reports the real error.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { motoClientConfig, type MotoClientConfig } from '../support/moto';

type WarmConfig = MotoClientConfig & { maxAttempts: number };

/** A client of one service and a read that loads its backend. */
interface Warmer {
  service: string;
  read: (config: WarmConfig) => Promise<unknown>;
}

function warmer<C extends { destroy(): void }>(
  service: string,
  client: (config: WarmConfig) => C,
  send: (client: C) => Promise<unknown>,
): Warmer {
  return {
    service,
    read: async (config) => {
      const c = client(config);
      try {
        return await send(c);
      } finally {
        c.destroy();
      }
    },
  };
}

/** Every service a test reaches through moto (grep `@aws-sdk/client-` under test/). */
export const MOTO_SERVICES: readonly Warmer[] = [
  warmer(
    'dynamodb',
    (c) => new DynamoDBClient(c),
    (x) => x.send(new ListTablesCommand({})),
  ),
  warmer(
    'ssm',
    (c) => new SSMClient(c),
    (x) => x.send(new DescribeParametersCommand({})),
  ),
  warmer(
    'tagging',
    (c) => new ResourceGroupsTaggingAPIClient(c),
    (x) => x.send(new GetResourcesCommand({ ResourceTypeFilters: ['cloudwatch:alarm'] })),
  ),
  warmer(
    'cloudwatch',
    (c) => new CloudWatchClient(c),
    (x) => x.send(new DescribeAlarmsCommand({})),
  ),
  warmer(
    'codedeploy',
    (c) => new CodeDeployClient(c),
    (x) => x.send(new ListApplicationsCommand({})),
  ),
  warmer(
    'codepipeline',
    (c) => new CodePipelineClient(c),
    (x) => x.send(new ListPipelinesCommand({})),
  ),
  warmer(
    'ecs',
    (c) => new ECSClient(c),
    (x) => x.send(new ListClustersCommand({})),
  ),
  warmer(
    'eventbridge',
    (c) => new EventBridgeClient(c),
    (x) => x.send(new ListEventBusesCommand({})),
  ),
  warmer(
    'scheduler',
    (c) => new SchedulerClient(c),
    (x) => x.send(new ListSchedulesCommand({})),
  ),
  warmer(
    'sqs',
    (c) => new SQSClient(c),
    (x) => x.send(new ListQueuesCommand({})),
  ),
  warmer(
    'sts',
    (c) => new STSClient(c),
    (x) => x.send(new GetCallerIdentityCommand({})),
  ),
];

/** A service whose warming read failed, and why. */
export interface ColdService {
  service: string;
  error: string;
}

/**
 * Loads each service's backend in moto; returns the services whose read failed (for a warning). One attempt each
 * unless `maxAttempts` says otherwise: the global setup only needs the backend loaded, not the answer.
 */
export async function warmMoto(
  endpoint: string,
  { services = MOTO_SERVICES, maxAttempts = 1 }: { services?: readonly Warmer[]; maxAttempts?: number } = {},
): Promise<ColdService[]> {
  const config: WarmConfig = { ...motoClientConfig(endpoint), maxAttempts };
  const failed: ColdService[] = [];
  // One at a time: moto serves requests under one interpreter lock, so parallel first calls gain little.
  for (const { service, read } of services) {
    try {
      await read(config);
    } catch (error) {
      failed.push({
        service,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return failed;
}
