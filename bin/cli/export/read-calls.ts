/** The IAM actions export-history calls, all read-only; README "Backtest" and docs/backtest.md list the same. */
export const EXPORT_IAM_ACTIONS = [
  'codepipeline:GetPipeline',
  'codepipeline:ListPipelineExecutions',
  'codepipeline:ListActionExecutions',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:ListTagsForResource',
] as const;
export type ExportIamAction = (typeof EXPORT_IAM_ACTIONS)[number];

export class ExportError extends Error {
  override name = 'ExportError';
}

const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);

/**
 * One read call, whose AccessDenied names the IAM action that is missing (AWS's own message names it only
 * sometimes, and never in the words of the policy a person has to edit).
 */
export async function readCall<T>(action: ExportIamAction, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (DENIED.has(name) || status === 403) {
      throw new ExportError(
        `AccessDenied: your credentials may not call ${action} (${what}). export-history needs these ` +
          `read-only IAM actions: ${EXPORT_IAM_ACTIONS.join(', ')}.`,
        { cause: error },
      );
    }
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ExportError(`${action} (${what}) failed: ${why}`, { cause: error });
  }
}
