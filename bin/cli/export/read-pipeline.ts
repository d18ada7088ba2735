import {
  GetPipelineCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionExecutionDetail,
  type CodePipelineClient,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { readCall } from './read-calls';

export type PipelineRecord = {
  name: string;
  pipeline: { version?: number; executionMode?: string; updated?: Date };
  executions: PipelineExecutionSummary[];
  actionExecutions: ActionExecutionDetail[];
};

/**
 * One pipeline's executions since `from` (ListPipelineExecutions lists the newest first: the pages stop at the first
 * older one), each with its action executions (who answered the gate and when), and the structure version now.
 */
export async function readPipeline(
  client: CodePipelineClient,
  name: string,
  from: Date,
  progress: (line: string) => void,
): Promise<PipelineRecord> {
  const got = await readCall('codepipeline:GetPipeline', name, () =>
    client.send(new GetPipelineCommand({ name })),
  );
  const executions: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await readCall('codepipeline:ListPipelineExecutions', name, () =>
      client.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 100, nextToken })),
    );
    const summaries = page.pipelineExecutionSummaries ?? [];
    executions.push(...summaries.filter((e) => !e.startTime || e.startTime >= from));
    const reachedOlder = summaries.some((e) => e.startTime && e.startTime < from);
    nextToken = reachedOlder ? undefined : page.nextToken;
    progress(`${name}: ${executions.length} executions since ${from.toISOString()}`);
  } while (nextToken);

  const actionExecutions: ActionExecutionDetail[] = [];
  for (const [i, execution] of executions.entries()) {
    const id = execution.pipelineExecutionId!;
    let token: string | undefined;
    do {
      const page = await readCall('codepipeline:ListActionExecutions', `${name} ${id}`, () =>
        client.send(
          new ListActionExecutionsCommand({
            pipelineName: name,
            filter: { pipelineExecutionId: id },
            maxResults: 100,
            nextToken: token,
          }),
        ),
      );
      actionExecutions.push(...(page.actionExecutionDetails ?? []));
      token = page.nextToken;
    } while (token);
    progress(`${name}: action executions of ${i + 1}/${executions.length} executions`);
  }
  return {
    name,
    pipeline: {
      ...(got.pipeline?.version !== undefined ? { version: got.pipeline.version } : {}),
      ...(got.pipeline?.executionMode ? { executionMode: got.pipeline.executionMode } : {}),
      ...(got.metadata?.updated ? { updated: got.metadata.updated } : {}),
    },
    executions,
    actionExecutions,
  };
}
