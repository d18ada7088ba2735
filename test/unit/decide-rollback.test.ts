import { describe, expect, it } from 'vitest';

import {
  decideRollback,
  restoreRequestToken,
  type RollbackDecision,
  type RollbackInput,
} from '../../handlers/rollback/decide-rollback';
import { lastKnownGood, revisionOverrides } from '../../handlers/rollback/last-known-good';
import type { ExecutionDetails, ExecutionSummary } from '../../lib/aws/rollback-codepipeline';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const LKG = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';
const OLDER = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

const failed = (change: Partial<ExecutionDetails> = {}): ExecutionDetails => ({
  executionId: E,
  status: 'Failed',
  triggerType: 'WebhookV2',
  executionType: 'STANDARD',
  executionMode: 'SUPERSEDED',
  pipelineVersion: 3,
  commitId: 'bad0001',
  ...change,
});

const summary = (id: string, status: string, commit: string, change: Partial<ExecutionSummary> = {}) => ({
  executionId: id,
  status,
  sourceRevisions: [{ actionName: 'Source', revisionId: commit, revisionSummary: `msg ${commit}` }],
  ...change,
});

/** The failed action CodePipeline reports when the BakeGate approval was rejected with `summary`. */
const gateRejected = (summary: string) => ({
  stage: 'Prod',
  action: 'BakeGate',
  category: 'Approval',
  summary,
});

const history = (...summaries: ExecutionSummary[]) => ({ summaries, complete: true });
const HISTORY = history(summary(E, 'Failed', 'bad0001'), summary(LKG, 'Succeeded', 'good001'));

/** Every fact loaded, for a Prod deploy failure of E after a clean LKG in the same pipeline version. */
function input(change: Partial<RollbackInput> = {}): RollbackInput {
  return {
    ref: { pipeline: 'leadout', executionId: E, state: 'FAILED' },
    deployingStages: ['Dev', 'Prod'],
    execution: failed(),
    restoreMark: undefined,
    failedActions: [{ stage: 'Prod', action: 'DeployTileApi', category: 'Deploy', summary: 'unhealthy' }],
    history: HISTORY,
    target: { executionId: LKG, status: 'Succeeded', pipelineVersion: 3 },
    ...change,
  };
}

type Case = {
  name: string;
  input: RollbackInput;
  expected: Partial<RollbackDecision> & Record<string, unknown>;
};

describe('decideRollback', () => {
  const cases: Case[] = [
    {
      name: 'SUPERSEDED → skip not-a-failure, no fact needed',
      input: input({
        ref: { pipeline: 'leadout', executionId: E, state: 'SUPERSEDED' },
        execution: undefined,
      }),
      expected: { kind: 'skip', reason: 'not-a-failure' },
    },
    {
      name: 'execution not read yet → need-execution',
      input: input({ execution: undefined }),
      expected: { kind: 'need-execution' },
    },
    {
      name: 'execution still InProgress → ignore',
      input: input({ execution: failed({ status: 'InProgress' }) }),
      expected: { kind: 'ignore' },
    },
    {
      name: 'execution Stopped → not-a-failure',
      input: input({ execution: failed({ status: 'Stopped' }) }),
      expected: { kind: 'skip', reason: 'not-a-failure' },
    },
    {
      name: 'ROLLBACK execution → rollback-of-rollback',
      input: input({ execution: failed({ executionType: 'ROLLBACK' }) }),
      expected: { kind: 'skip', reason: 'rollback-of-rollback' },
    },
    {
      name: 'AutomatedRollback trigger → rollback-of-rollback',
      input: input({ execution: failed({ triggerType: 'AutomatedRollback' }) }),
      expected: { kind: 'skip', reason: 'rollback-of-rollback' },
    },
    {
      name: 'restore mark not read → need-restore-mark',
      input: input({ restoreMark: 'not-loaded' }),
      expected: { kind: 'need-restore-mark' },
    },
    {
      name: 'the guard’s own restart → rollback-of-rollback',
      input: input({
        restoreMark: {
          pipeline: 'leadout',
          restoreExecutionId: E,
          failedExecutionId: OLDER,
          targetExecutionId: LKG,
          path: 'restart',
        },
      }),
      expected: { kind: 'skip', reason: 'rollback-of-rollback' },
    },
    {
      name: 'the guard’s own restart rejected at the gate by the guard (a Dev-only restore) → guard-rejection',
      input: input({
        restoreMark: {
          pipeline: 'leadout',
          restoreExecutionId: E,
          failedExecutionId: OLDER,
          targetExecutionId: LKG,
          path: 'restart',
          failedStage: 'Dev',
        },
        failedActions: [gateRejected('Rejected by release-guard: this execution restored Dev only')],
      }),
      expected: { kind: 'skip', reason: 'guard-rejection' },
    },
    {
      name: 'actions not read → need-failed-actions',
      input: input({ failedActions: undefined }),
      expected: { kind: 'need-failed-actions' },
    },
    {
      name: 'approval FAILED event without a summary → read the actions',
      input: input({
        failedActions: undefined,
        ref: {
          pipeline: 'leadout',
          executionId: E,
          state: 'FAILED',
          stage: 'Prod',
          action: { stage: 'Prod', action: 'BakeGate', category: 'Approval' },
        },
      }),
      expected: { kind: 'need-failed-actions' },
    },
    {
      name: 'Build failed → before-deploying-stages',
      input: input({ failedActions: [{ stage: 'Build', action: 'Build', category: 'Build' }] }),
      expected: { kind: 'skip', reason: 'before-deploying-stages' },
    },
    {
      name: 'guard rejected at the gate → guard-rejection',
      input: input({
        failedActions: [gateRejected('Rejected by release-guard: superseded by X')],
      }),
      expected: { kind: 'skip', reason: 'guard-rejection' },
    },
    {
      name: 'a person rejected at the gate → before-deploying-stages',
      input: input({
        failedActions: [gateRejected('Not today')],
      }),
      expected: { kind: 'skip', reason: 'before-deploying-stages' },
    },
    {
      name: 'history not read → need-history',
      input: input({ history: undefined }),
      expected: { kind: 'need-history' },
    },
    {
      name: 'no success before E → no-known-good-release',
      input: input({
        history: history(summary(E, 'Failed', 'bad0001'), summary(OLDER, 'Failed', 'old0001')),
      }),
      expected: { kind: 'skip', reason: 'no-known-good-release' },
    },
    {
      name: 'a success after E does not count',
      input: input({
        history: history(summary(LKG, 'Succeeded', 'new0001'), summary(E, 'Failed', 'bad0001')),
      }),
      expected: { kind: 'skip', reason: 'no-known-good-release' },
    },
    {
      name: 'LKG ran the same revisions → target-is-failing-commit',
      input: input({
        history: history(summary(E, 'Failed', 'bad0001'), summary(LKG, 'Succeeded', 'bad0001')),
      }),
      expected: { kind: 'skip', reason: 'target-is-failing-commit' },
    },
    {
      name: 'LKG version not read → need-target',
      input: input({ target: undefined }),
      expected: { kind: 'need-target', executionId: LKG },
    },
    {
      name: 'same version → rollback-stage of the failed stage',
      input: input(),
      expected: {
        kind: 'restore',
        path: 'rollback-stage',
        failure: { stage: 'Prod', action: 'DeployTileApi', summary: 'unhealthy', commitId: 'bad0001' },
        target: { executionId: LKG, commitId: 'good001', commitMessage: 'msg good001' },
      },
    },
    {
      name: 'version changed → restart',
      input: input({ target: { executionId: LKG, pipelineVersion: 2 } }),
      expected: { kind: 'restore', path: 'restart', requestToken: `release-guard-restore-${E}` },
    },
    {
      name: 'PARALLEL mode → restart without reading the LKG',
      input: input({ execution: failed({ executionMode: 'PARALLEL' }), target: undefined }),
      expected: { kind: 'restore', path: 'restart' },
    },
    {
      name: 'LKG is a rollback → restart',
      input: input({
        history: history(
          summary(E, 'Failed', 'bad0001'),
          summary(LKG, 'Succeeded', 'good001', { executionType: 'ROLLBACK' }),
        ),
        target: undefined,
      }),
      expected: { kind: 'restore', path: 'restart' },
    },
  ];

  it.each(cases)('$name', ({ input: given, expected }) => {
    expect(decideRollback(given)).toMatchObject(expected);
  });
});

describe('last known good and the restart request', () => {
  it('is not found when E is beyond the history read, naming the bound', () => {
    const lkg = lastKnownGood([summary(LKG, 'Succeeded', 'good001')], E, false);
    expect(lkg).toEqual({ kind: 'none', why: `${E} is not among the 1 newest executions` });
  });

  it('turns revisions into overrides: image digests for ECR, commits otherwise', () => {
    const target = summary(LKG, 'Succeeded', 'good001', {
      sourceRevisions: [
        { actionName: 'Source', revisionId: '7d1a9c3e' },
        { actionName: 'Image', revisionId: 'sha256:4f6b8d0a' },
      ],
    });
    expect(revisionOverrides(target)).toEqual([
      { actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: '7d1a9c3e' },
      { actionName: 'Image', revisionType: 'IMAGE_DIGEST', revisionValue: 'sha256:4f6b8d0a' },
    ]);
  });

  it('derives a clientRequestToken CodePipeline accepts (1–128 of [a-zA-Z0-9-])', () => {
    for (const id of [E, 'x'.repeat(200), 'odd_id.with:chars']) {
      expect(restoreRequestToken(id)).toMatch(/^[a-zA-Z0-9-]{1,128}$/);
    }
  });
});
