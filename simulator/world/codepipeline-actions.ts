import type { Execution } from './codepipeline-world';

/** One action run of an execution. */
export type ActionRecord = {
  stage: string;
  action: string;
  category: string;
  actionExecutionId: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  startTime: Date;
  lastUpdateTime: Date;
  summary?: string;
  /** Who answered an approval (ListActionExecutions' `updatedBy`: the caller's IAM identity). */
  updatedBy?: string;
};

/** Keeps an execution's action history as its action events happen (what ListActionExecutions reads). */
export function recordAction(
  e: Execution,
  change: {
    stage: string;
    action: string;
    category: string;
    state: string;
    run: { actionExecutionId: string; summary?: string; updatedBy?: string };
    at: Date;
  },
): void {
  const { run } = change;
  const status: ActionRecord['status'] =
    change.state === 'STARTED' ? 'InProgress' : change.state === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
  const known = e.actions.find((a) => a.actionExecutionId === run.actionExecutionId);
  if (known) {
    Object.assign(known, {
      status,
      lastUpdateTime: change.at,
      summary: run.summary,
      updatedBy: run.updatedBy,
    });
    return;
  }
  e.actions.push({
    stage: change.stage,
    action: change.action,
    category: change.category,
    actionExecutionId: run.actionExecutionId,
    status,
    startTime: change.at,
    lastUpdateTime: change.at,
    summary: run.summary,
    updatedBy: run.updatedBy,
  });
}
