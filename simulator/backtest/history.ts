import { readFileSync } from 'node:fs';
import * as z from 'zod';

/**
 * The document `release-guard export-history` writes: AWS's own records, as the read-only APIs return them (times
 * as ISO-8601), per guarded pipeline and selected Dev alarm. Fields the replay does not use are kept as they came.
 */
export const HISTORY_VERSION = 1;

const iso = z.iso.datetime({ offset: true });

const sourceRevision = z.looseObject({
  actionName: z.string(),
  revisionId: z.string().optional(),
  revisionSummary: z.string().optional(),
});

/** ListPipelineExecutions' PipelineExecutionSummary. */
const executionSummary = z.looseObject({
  pipelineExecutionId: z.string(),
  status: z.string(),
  startTime: iso.optional(),
  lastUpdateTime: iso.optional(),
  sourceRevisions: z.array(sourceRevision).optional(),
  trigger: z
    .looseObject({ triggerType: z.string().optional(), triggerDetail: z.string().optional() })
    .optional(),
  executionMode: z.string().optional(),
  executionType: z.enum(['STANDARD', 'ROLLBACK']).optional(),
  rollbackMetadata: z.looseObject({ rollbackTargetPipelineExecutionId: z.string().optional() }).optional(),
});

/** ListActionExecutions' ActionExecutionDetail. */
const actionExecution = z.looseObject({
  pipelineExecutionId: z.string(),
  actionExecutionId: z.string().optional(),
  pipelineVersion: z.number().int().optional(),
  stageName: z.string(),
  actionName: z.string(),
  startTime: iso.optional(),
  lastUpdateTime: iso.optional(),
  updatedBy: z.string().optional(),
  status: z.string(),
  output: z
    .looseObject({
      executionResult: z
        .looseObject({
          externalExecutionSummary: z.string().optional(),
          errorDetails: z.looseObject({ message: z.string().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** DescribeAlarmHistory's AlarmHistoryItem (HistoryItemType StateUpdate); HistoryData is AWS's JSON string. */
const alarmHistoryItem = z.looseObject({
  AlarmName: z.string(),
  AlarmType: z.string().optional(),
  Timestamp: iso,
  HistoryItemType: z.string(),
  HistorySummary: z.string().optional(),
  HistoryData: z.string().optional(),
});

export const historySchema = z.object({
  version: z.literal(HISTORY_VERSION),
  exportedAt: iso,
  stage: z.string().optional(),
  region: z.string(),
  from: iso,
  to: iso,
  pipelines: z.array(
    z.object({
      name: z.string(),
      /** GetPipeline: the structure version now, its mode and stages. */
      pipeline: z
        .looseObject({
          version: z.number().int().optional(),
          executionMode: z.string().optional(),
          updated: iso.optional(),
        })
        .optional(),
      executions: z.array(executionSummary),
      actionExecutions: z.array(actionExecution),
    }),
  ),
  alarms: z.array(
    z.object({
      name: z.string(),
      arn: z.string().optional(),
      type: z.enum(['MetricAlarm', 'CompositeAlarm']),
      /** DescribeAlarms: its state when exported, and since when. */
      stateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
      stateUpdatedAt: iso.optional(),
      tags: z.record(z.string(), z.string()).optional(),
      history: z.array(alarmHistoryItem),
    }),
  ),
});

export type History = z.infer<typeof historySchema>;
export type HistoryPipeline = History['pipelines'][number];
export type ExecutionSummary = HistoryPipeline['executions'][number];
export type ActionExecution = HistoryPipeline['actionExecutions'][number];
export type HistoryAlarm = History['alarms'][number];

export class HistoryError extends Error {
  override name = 'HistoryError';
}

export function loadHistory(file: string): History {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HistoryError(`${file} is not a JSON history: ${(cause as Error).message}`, { cause });
  }
  const parsed = historySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new HistoryError(
      `${file} is not an export-history document (version ${HISTORY_VERSION}): ${issues.join('; ')}`,
    );
  }
  return parsed.data;
}
