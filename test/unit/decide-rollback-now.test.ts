import { describe, expect, it } from 'vitest';

import {
  decideRollbackNow,
  historyHoldsCurrentAndBefore,
  type RollbackNowInput,
} from '../../handlers/rollback/decide-rollback-now';
import type { ExecutionDetails, ExecutionSummary } from '../../lib/aws/rollback-codepipeline';

const NEWER = 'c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f';
const CURRENT = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const LKG = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';

const summary = (id: string, status: string, commit: string, change: Partial<ExecutionSummary> = {}) => ({
  executionId: id,
  status,
  sourceRevisions: [{ actionName: 'Source', revisionId: commit }],
  ...change,
});

const details = (change: Partial<ExecutionDetails> = {}): ExecutionDetails => ({
  executionId: CURRENT,
  status: 'Succeeded',
  triggerType: 'WebhookV2',
  executionType: 'STANDARD',
  executionMode: 'SUPERSEDED',
  pipelineVersion: 3,
  commitId: 'now0001',
  ...change,
});

const history = (...summaries: ExecutionSummary[]) => ({ summaries, complete: true });

/** Every fact loaded: an execution still in Dev, the release in Prod (CURRENT), and a known good one before it. */
function input(change: Partial<RollbackNowInput> = {}): RollbackNowInput {
  return {
    request: { pipeline: 'leadout', by: 'arn:aws:iam::111122223333:user/ana', reason: 'wrong tiles' },
    prodStage: 'Prod',
    deployingStages: ['Dev', 'Prod'],
    history: history(
      summary(NEWER, 'InProgress', 'dev0001'),
      summary(CURRENT, 'Succeeded', 'now0001'),
      summary(LKG, 'Succeeded', 'good001'),
    ),
    execution: details(),
    restoreMark: undefined,
    target: { executionId: LKG, status: 'Succeeded', pipelineVersion: 3 },
    ...change,
  };
}

describe('decideRollbackNow: the release before the one in Prod, by the rollback path and its loop guards', () => {
  it('restores the known good release before the one now in Prod (not the newest execution), by RollbackStage', () => {
    const decision = decideRollbackNow(input());
    expect(decision).toMatchObject({
      kind: 'restore',
      path: 'rollback-stage',
      target: { executionId: LKG, commitId: 'good001' },
      failure: { stage: 'Prod', commitId: 'now0001' },
    });
  });

  it('asks for the facts one at a time: history, then the release in Prod, then its restore mark', () => {
    expect(decideRollbackNow(input({ history: undefined })).kind).toBe('need-current-history');
    expect(decideRollbackNow(input({ execution: undefined })).kind).toBe('need-execution');
    // Details of another execution are not the release in Prod's.
    expect(decideRollbackNow(input({ execution: details({ executionId: NEWER }) })).kind).toBe(
      'need-execution',
    );
    expect(decideRollbackNow(input({ restoreMark: 'not-loaded' })).kind).toBe('need-restore-mark');
  });

  it('never rolls back a rollback: CodePipeline marks it, or the guard restored it', () => {
    expect(decideRollbackNow(input({ execution: details({ executionType: 'ROLLBACK' }) }))).toMatchObject({
      kind: 'skip',
      reason: 'rollback-of-rollback',
    });
    const mark = {
      pipeline: 'leadout',
      restoreExecutionId: CURRENT,
      failedExecutionId: NEWER,
      targetExecutionId: LKG,
      path: 'restart' as const,
      failedStage: 'Prod',
    };
    expect(decideRollbackNow(input({ restoreMark: mark }))).toMatchObject({
      kind: 'skip',
      reason: 'rollback-of-rollback',
    });
  });

  it('never to the same revisions, and says when there is nothing before the release in Prod', () => {
    const same = history(summary(CURRENT, 'Succeeded', 'now0001'), summary(LKG, 'Succeeded', 'now0001'));
    expect(decideRollbackNow(input({ history: same }))).toMatchObject({
      kind: 'skip',
      reason: 'target-is-failing-commit',
    });
    const alone = history(summary(CURRENT, 'Succeeded', 'now0001'), summary(LKG, 'Failed', 'good001'));
    expect(decideRollbackNow(input({ history: alone }))).toMatchObject({
      kind: 'skip',
      reason: 'no-known-good-release',
    });
    const nothing = history(summary(CURRENT, 'Failed', 'now0001'));
    expect(decideRollbackNow(input({ history: nothing }))).toMatchObject({
      kind: 'skip',
      reason: 'no-known-good-release',
      detail: expect.stringContaining('no execution succeeded end to end'),
    });
  });

  it('reads history until it holds the release in Prod and a known good one before it', () => {
    const enough = historyHoldsCurrentAndBefore;
    expect(enough([summary(NEWER, 'InProgress', 'x'), summary(CURRENT, 'Succeeded', 'y')])).toBe(false);
    expect(enough([summary(CURRENT, 'Succeeded', 'y'), summary(LKG, 'Succeeded', 'z')])).toBe(true);
  });
});
