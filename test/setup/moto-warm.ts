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

/** One attempt: the backend only has to load, the answer does not matter. */
type WarmConfig = MotoClientConfig & { maxAttempts: 1 };

/** A client of one service and a read that loads its backend. */
interface Warmer {
  service: string;
  read: (config: WarmConfig, abortSignal: AbortSignal) => Promise<unknown>;
}

type Client = {
  send(command: never, options: { abortSignal: AbortSignal }): Promise<unknown>;
  destroy(): void;
};

/**
 * `command` must be one of the client's own: TypeScript cannot pair them through the SDK's overloaded `send`, and
 * a wrong pair fails at the first run (moto refuses it, and moto-warm.test.ts asserts the setup warmed everything).
 */
function warmer(service: string, client: (config: WarmConfig) => Client, command: object): Warmer {
  return {
    service,
    read: async (config, abortSignal) => {
      const c = client(config);
      try {
        return await c.send(command as never, { abortSignal });
      } finally {
        c.destroy();
      }
    },
  };
}

/** Every service a test reaches through moto (grep `@aws-sdk/client-` under test/). */
export const MOTO_SERVICES: readonly Warmer[] = [
  warmer('dynamodb', (c) => new DynamoDBClient(c), new ListTablesCommand({})),
  warmer('ssm', (c) => new SSMClient(c), new DescribeParametersCommand({})),
  warmer(
    'tagging',
    (c) => new ResourceGroupsTaggingAPIClient(c),
    new GetResourcesCommand({ ResourceTypeFilters: ['cloudwatch:alarm'] }),
  ),
  warmer('cloudwatch', (c) => new CloudWatchClient(c), new DescribeAlarmsCommand({})),
  warmer('codedeploy', (c) => new CodeDeployClient(c), new ListApplicationsCommand({})),
  warmer('codepipeline', (c) => new CodePipelineClient(c), new ListPipelinesCommand({})),
  warmer('ecs', (c) => new ECSClient(c), new ListClustersCommand({})),
  warmer('eventbridge', (c) => new EventBridgeClient(c), new ListEventBusesCommand({})),
  warmer('scheduler', (c) => new SchedulerClient(c), new ListSchedulesCommand({})),
  warmer('sqs', (c) => new SQSClient(c), new ListQueuesCommand({})),
  warmer('sts', (c) => new STSClient(c), new GetCallerIdentityCommand({})),
];

/** A service whose warming read failed, and why. */
export interface ColdService {
  service: string;
  error: string;
}

/**
 * Loads each service's backend in moto; returns the services whose read failed (for a warning). The SDK has
 * no request timeout of its own, and vitest none on a global setup: each read is abandoned after `readTimeoutMs`,
 * and once `budgetMs` is spent the services left are reported untried, so a moto that accepts connections but
 * never answers cannot hang the suite.
 */
export async function warmMoto(
  endpoint: string,
  {
    services = MOTO_SERVICES,
    readTimeoutMs = 20_000,
    budgetMs = 60_000,
  }: { services?: readonly Warmer[]; readTimeoutMs?: number; budgetMs?: number } = {},
): Promise<ColdService[]> {
  const config: WarmConfig = { ...motoClientConfig(endpoint), maxAttempts: 1 };
  const failed: ColdService[] = [];
  const deadline = Date.now() + budgetMs;
  // One at a time: moto serves requests under one interpreter lock, so parallel first calls gain little.
  for (const { service, read } of services) {
    const left = Math.min(readTimeoutMs, deadline - Date.now());
    if (left <= 0) {
      failed.push({ service, error: `not tried: the warm-up's ${budgetMs} ms were spent` });
      continue;
    }
    try {
      await read(config, AbortSignal.timeout(left));
    } catch (error) {
      failed.push({
        service,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return failed;
}
