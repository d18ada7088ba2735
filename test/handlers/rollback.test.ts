import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ConflictException,
  PipelineExecutionOutdatedException,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  UnableToRollbackStageException,
  type ActionExecutionDetail,
  type PipelineExecution,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from 'vitest';

import type { GuardConfig } from '../../config/schema';
import { makeHandler } from '../../handlers/rollback/make-handler';
import { makeRollbackPipeline } from '../../lib/aws/rollback-codepipeline';
import { guardActor, invoker, mockedAws, REGION, rollbackLedger } from './clients';
import { restoreExecutors } from '../../lib/effects/restore';
import { loadEvent, type FixtureName } from '../fixtures/load';
import {
  expectNoAwsCall,
  acceptPutEvents,
  captureLogger,
  deployment,
  emitted,
  expectDroppedInvalid,
  failPutEventsOnce,
  guardConfig,
} from './harness';
import { journalItem, journalOf, ledgerTable, lostResponse, throttled, type LedgerTable } from './table';

/** E: the failed execution of the fixtures; LKG: the last one that succeeded; OLDER: before it. */
const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const LKG = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';
const OLDER = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const R = 'f9e8d7c6-b5a4-4938-8271-605f4e3d2c1b';
const FAILED_COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';
const GOOD_COMMIT = '7d1a9c3e5b2f4d6a8c0e1f3b5d7a9c2e4f6b8d0a';
const NOW = new Date('2026-05-12T10:21:15.000Z');

const { codePipeline, dynamo, eventBridge, all: mocks } = mockedAws();

function prepare(config: GuardConfig = guardConfig()) {
  const log = captureLogger();
  const handler = makeHandler({
    config,
    codepipeline: makeRollbackPipeline(new CodePipelineClient(REGION)),
    ledger: rollbackLedger(),
    actor: guardActor(
      'rollback',
      restoreExecutors({
        codepipeline: makeRollbackPipeline(new CodePipelineClient(REGION)),
        ledger: rollbackLedger(),
        now: () => NOW,
      }),
      log.logger,
      () => NOW,
    ),
    logger: log.logger,
    now: () => NOW,
  });
  return { invoke: invoker(handler), log };
}

function execution(
  id: string,
  change: Partial<PipelineExecution> = {},
): { pipelineExecution: PipelineExecution } {
  return {
    pipelineExecution: {
      pipelineName: 'leadout',
      pipelineVersion: 3,
      pipelineExecutionId: id,
      status: id === E ? 'Failed' : 'Succeeded',
      artifactRevisions: [
        {
          name: 'SourceArtifact',
          revisionId: id === E ? FAILED_COMMIT : GOOD_COMMIT,
          revisionSummary: 'Tiles',
        },
      ],
      trigger: { triggerType: 'WebhookV2' },
      executionMode: 'SUPERSEDED',
      executionType: 'STANDARD',
      ...change,
    },
  };
}

function summary(id: string, status: PipelineExecutionSummary['status'], commit: string) {
  return {
    pipelineExecutionId: id,
    status,
    startTime: new Date('2026-05-12T08:00:00.000Z'),
    sourceRevisions: [
      { actionName: 'Source', revisionId: commit, revisionSummary: `commit ${commit.slice(0, 7)}` },
    ],
    trigger: { triggerType: 'WebhookV2' as const },
    executionType: 'STANDARD' as const,
  };
}

const HISTORY = [
  summary(E, 'Failed', FAILED_COMMIT),
  summary(LKG, 'Succeeded', GOOD_COMMIT),
  summary(OLDER, 'Succeeded', 'c0ffee1'),
];

const deployFailed: ActionExecutionDetail = {
  pipelineExecutionId: E,
  stageName: 'Prod',
  actionName: 'DeployTileApi',
  status: 'Failed',
  input: { actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' } },
  output: { executionResult: { externalExecutionSummary: 'tasks failed the ELB health checks' } },
};

/** A failed Prod deploy of E after a clean LKG, with the same pipeline version: the fast path. */
function awsFor(options: { history?: PipelineExecutionSummary[]; actions?: ActionExecutionDetail[] } = {}) {
  codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: E }).resolves(execution(E));
  codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: LKG }).resolves(execution(LKG));
  codePipeline
    .on(ListActionExecutionsCommand)
    .resolves({ actionExecutionDetails: options.actions ?? [deployFailed] });
  codePipeline
    .on(ListPipelineExecutionsCommand)
    .resolves({ pipelineExecutionSummaries: options.history ?? HISTORY });
  codePipeline.on(RollbackStageCommand).resolves({ pipelineExecutionId: R });
  codePipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: R });
  table = ledgerTable(dynamo);
}

let table: LedgerTable;
const KEY = `leadout rollback ${E}`;
/** R as ListPipelineExecutions lists it once RollbackStage started it. */
const rollbackExecution = (): PipelineExecutionSummary => ({
  pipelineExecutionId: R,
  status: 'InProgress',
  startTime: NOW,
  trigger: { triggerType: 'ManualRollback' },
  executionType: 'ROLLBACK',
  rollbackMetadata: { rollbackTargetPipelineExecutionId: LKG },
  sourceRevisions: [{ actionName: 'Source', revisionId: GOOD_COMMIT, revisionSummary: 'commit 7d1a9c3' }],
});

const restoreCalls = () => [
  ...codePipeline.commandCalls(RollbackStageCommand),
  ...codePipeline.commandCalls(StartPipelineExecutionCommand),
];

beforeEach(() => {
  acceptPutEvents(eventBridge);
});

describe('rollback: a failed Prod deploy restores the last known good release', () => {
  it.each<[string, FixtureName]>([
    ['with execution-trigger', 'codepipeline/pipeline-failed-modern'],
    ['without execution-trigger (2022 shape, version 16.0)', 'codepipeline/pipeline-failed-no-trigger'],
    ['started by a Git tag (commit block, no trigger-type)', 'codepipeline/pipeline-failed-git-tag'],
  ])(
    'pipeline FAILED %s: RollbackStage of Prod to the LKG, journaled once, marked, announced',
    async (_, fixture) => {
      // Prepare
      awsFor();
      const { invoke } = prepare();

      // Act
      await invoke(loadEvent(fixture));

      // Assess
      expect(codePipeline).toHaveReceivedCommandWith(ListActionExecutionsCommand, {
        pipelineName: 'leadout',
        filter: { pipelineExecutionId: E },
      });
      expect(codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 1);
      expect(codePipeline).toHaveReceivedCommandWith(RollbackStageCommand, {
        pipelineName: 'leadout',
        stageName: 'Prod',
        targetPipelineExecutionId: LKG,
      });
      expect(codePipeline).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
      expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
        TableName: deployment.ledgerTable,
        Item: expect.objectContaining({ executionId: { S: `announce#${KEY}` }, state: { S: 'pending' } }),
        ConditionExpression: 'attribute_not_exists(executionId)',
      });
      expect(dynamo).not.toHaveReceivedCommandWith(PutItemCommand, {
        Item: expect.objectContaining({ executionId: { S: `rollback#${E}` } }),
      });
      expect(journalOf(table, 'rollback', 'leadout', KEY)).toMatchObject({ state: 'announced', attempt: 1 });
      expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
        Item: expect.objectContaining({
          executionId: { S: `restore#${R}` },
          failedExecutionId: { S: E },
          targetCommitId: { S: GOOD_COMMIT },
          failedStage: { S: 'Prod' },
        }),
      });
      expect(emitted(eventBridge)).toEqual([
        {
          source: 'leadout.release-guard',
          detailType: 'RollbackStarted',
          detail: {
            mode: 'enforce',
            pipeline: 'leadout',
            failedExecutionId: E,
            failedStage: 'Prod',
            failedInProd: true,
            failedAction: 'DeployTileApi',
            failedCommitId: FAILED_COMMIT,
            failureSummary: 'tasks failed the ELB health checks',
            path: 'rollback-stage',
            targetExecutionId: LKG,
            targetCommitId: GOOD_COMMIT,
            targetCommitMessage: 'commit 7d1a9c3',
            rollbackExecutionId: R,
            decisionKey: `leadout rollback ${E}`,
            effects: [
              {
                effect: 'restore',
                call: 'codepipeline.RollbackStage',
                resource: `pipeline leadout, stage Prod, to ${LKG}`,
                outcome: 'done',
              },
              {
                effect: 'record-restore',
                call: 'dynamodb.PutItem',
                resource: "the guard's restore record of leadout",
                outcome: 'done',
              },
            ],
          },
        },
      ]);
    },
  );

  it('action FAILED carries the action and its execution-result: no ListActionExecutions', async () => {
    // Prepare
    awsFor();
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/action-prod-deploy-failed'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(ListActionExecutionsCommand);
    expect(codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      failedAction: 'DeployTileApi',
      failureSummary: 'Deployment of tile-api failed: tasks failed the ELB health checks',
    });
  });

  it('stage FAILED names the stage; the actions are still read (a gate rejection also fails Prod)', async () => {
    // Prepare
    awsFor();
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-failed'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(ListActionExecutionsCommand, 1);
    expect(codePipeline).toHaveReceivedCommandWith(RollbackStageCommand, { stageName: 'Prod' });
  });

  it('pipeline structure changed since the LKG: StartPipelineExecution with its revisions and a token from E', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: LKG })
      .resolves(execution(LKG, { pipelineVersion: 2 }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
    expect(codePipeline).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
      name: 'leadout',
      sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: GOOD_COMMIT }],
      clientRequestToken: `release-guard-restore-${E}`,
    });
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      path: 'restart',
      pathReason: 'the pipeline structure changed since the last good execution (version 2 → 3)',
      rollbackExecutionId: R,
    });
  });

  it.each([
    new UnableToRollbackStageException({ message: 'Pipeline version changed', $metadata: {} }),
    new PipelineExecutionOutdatedException({ message: 'The target execution is outdated', $metadata: {} }),
    new ConflictException({ message: 'The stage is busy (now restarted, not failed)', $metadata: {} }),
  ])('CodePipeline refuses RollbackStage ($name): falls back to the restart, says why', async (refusal) => {
    // Prepare
    awsFor();
    codePipeline.on(RollbackStageCommand).rejects(refusal);
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 1);
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({
      path: 'restart',
      pathReason: `CodePipeline refused RollbackStage (${refusal.name}: ${refusal.message}): restarted with the known good revisions`,
      rollbackExecutionId: R,
    });
  });

  it('a throttled RollbackStage is now thrown while retries are left, then announced as RollbackSkipped rollback-failed listing the effect on the last attempt', async () => {
    // Prepare
    awsFor();
    codePipeline.on(RollbackStageCommand).rejects(throttled());
    const { invoke, log } = prepare();
    const event = loadEvent('codepipeline/pipeline-failed-modern');

    // Act
    await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
    await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    await expect(invoke(event)).resolves.toBeUndefined();

    // Assess: the 2nd and 3rd attempts looked for an earlier rollback before writing again; none was there.
    expect(codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 3);
    expect(codePipeline).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackSkipped',
        detail: {
          reason: 'rollback-failed',
          targetExecutionId: LKG,
          failedStage: 'Prod',
          commitId: FAILED_COMMIT,
          call: 'codepipeline.RollbackStage',
          error: { name: 'ThrottlingException', message: 'Rate exceeded' },
          effects: [
            { effect: 'restore', outcome: 'failed' },
            { effect: 'record-restore', outcome: 'skipped', note: 'needs restore' },
          ],
        },
      },
    ]);
    expect(dynamo).not.toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ executionId: { S: `restore#${R}` } }),
    });
    expect(log.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('RollbackStage refused with AccessDenied: RollbackSkipped rollback-failed at once, the effect listed, no restart', async () => {
    // Prepare
    awsFor();
    codePipeline.on(RollbackStageCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: codepipeline:RollbackStage'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { invoke } = prepare();

    // Act
    await expect(invoke(loadEvent('codepipeline/pipeline-failed-modern'))).resolves.toBeUndefined();

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackSkipped',
        detail: {
          reason: 'rollback-failed',
          call: 'codepipeline.RollbackStage',
          error: { name: 'AccessDeniedException' },
          effects: [
            { effect: 'restore', outcome: 'failed' },
            { effect: 'record-restore', outcome: 'skipped' },
          ],
        },
      },
    ]);
    expect(journalOf(table, 'rollback', 'leadout', KEY).state).toBe('announced');
  });

  it('RollbackStage took effect but its response was lost (TimeoutError): the retry finds R, records it and announces once, without a second RollbackStage', async () => {
    // Prepare
    awsFor();
    codePipeline.on(RollbackStageCommand).rejects(lostResponse());
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/pipeline-failed-modern');
    await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
    expect(journalOf(table, 'rollback', 'leadout', KEY)).toMatchObject({ state: 'pending', attempt: 1 });
    // CodePipeline did start R: ListPipelineExecutions lists it.
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [rollbackExecution(), ...HISTORY] });

    // Act
    await invoke(event);

    // Assess
    expect(codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 1);
    expect(codePipeline).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(table.item('restore#leadout', `restore#${R}`)).toMatchObject({ failedExecutionId: { S: E } });
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackStarted',
        detail: {
          rollbackExecutionId: R,
          decisionKey: KEY,
          effects: [
            { effect: 'restore', outcome: 'already-done' },
            { effect: 'record-restore', outcome: 'done' },
          ],
        },
      },
    ]);
    expect(journalOf(table, 'rollback', 'leadout', KEY)).toMatchObject({ state: 'announced', attempt: 2 });
  });

  const restoreRecordWrites = () =>
    dynamo.commandCalls(PutItemCommand).filter((c) => c.args[0].input.Item?.executionId?.S === `restore#${R}`)
      .length;

  it('the restore record fails once: the invocation is now thrown and retried; the retry recognises R, records it, announces once', async () => {
    // Prepare
    awsFor();
    table.failWhen((op, input) =>
      op === 'PutItem' &&
      (input as PutItemCommandInput).Item?.executionId?.S === `restore#${R}` &&
      restoreRecordWrites() === 1
        ? throttled()
        : undefined,
    );
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/pipeline-failed-modern');
    await expect(invoke(event)).rejects.toMatchObject({ name: 'TransientAwsError' });
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [rollbackExecution(), ...HISTORY] });

    // Act
    await invoke(event);

    // Assess: one restore, two attempts of the restore record, one announcement
    expect(restoreCalls()).toHaveLength(1);
    expect(restoreRecordWrites()).toBe(2);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackStarted',
        detail: { rollbackExecutionId: R, effects: [{ outcome: 'already-done' }, { outcome: 'done' }] },
      },
    ]);
  });

  it('the restore record keeps failing: now one RollbackStarted listing the failed record (no separate GuardFailed), loudly', async () => {
    // Prepare
    awsFor();
    table.failWhen((op, input) =>
      op === 'PutItem' && (input as PutItemCommandInput).Item?.executionId?.S === `restore#${R}`
        ? throttled()
        : undefined,
    );
    const { invoke, log } = prepare();
    const event = loadEvent('codepipeline/pipeline-failed-modern');
    await expect(invoke(event)).rejects.toThrow();
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [rollbackExecution(), ...HISTORY] });
    await expect(invoke(event)).rejects.toThrow();

    // Act
    await invoke(event);

    // Assess: three attempts of the restore record, one restore, then RollbackStarted with the record failed
    expect(restoreRecordWrites()).toBe(3);
    expect(restoreCalls()).toHaveLength(1);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackStarted',
        detail: {
          rollbackExecutionId: R,
          effects: [
            { effect: 'restore', outcome: 'already-done' },
            {
              effect: 'record-restore',
              outcome: 'failed',
              error: { name: 'ThrottlingException' },
              remedy: expect.stringContaining('not recorded as the guard') as string,
            },
          ],
        },
      },
    ]);
    expect(log.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('a duplicate (the journal item is announced): no restore and no announcement', async () => {
    // Prepare
    awsFor();
    table.put(
      journalItem({
        owner: 'rollback',
        pipeline: 'leadout',
        keyId: KEY,
        state: 'announced',
        primary: { detailType: 'RollbackStarted', detail: { decisionKey: KEY } },
        createdAt: new Date(NOW.getTime() - 60_000),
        leaseUntil: new Date(NOW.getTime() - 55_000),
        final: { detailType: 'RollbackStarted', detail: { decisionKey: KEY, rollbackExecutionId: R } },
      }),
    );
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess: it stops after the journal read, before any fact (the stage and pipeline views of one failure)
    expect(restoreCalls()).toHaveLength(0);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateItemCommand);
    expect(codePipeline.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(1);
  });

  it('PutEvents fails after the restore: the retry restores nothing and re-sends the stored RollbackStarted once', async () => {
    // Prepare: the first attempt restores, stores RollbackStarted as acted, then PutEvents rejects the entry.
    awsFor();
    failPutEventsOnce(eventBridge);
    const { invoke } = prepare();
    await expect(invoke(loadEvent('codepipeline/pipeline-failed-modern'))).rejects.toThrow();
    const stored = journalOf(table, 'rollback', 'leadout', KEY);
    expect(stored).toMatchObject({ state: 'acted', finalType: 'RollbackStarted' });
    const putsBefore = dynamo.commandCalls(PutItemCommand).length;

    // Act: EventBridge retries the same event.
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess: one restore, and the stored RollbackStarted (with R) went out again under the decision's key.
    expect(restoreCalls()).toHaveLength(1);
    const [failed, retried] = emitted(eventBridge);
    expect(emitted(eventBridge)).toHaveLength(2);
    expect(retried).toEqual(failed);
    expect(retried?.detail).toEqual(stored.finalDetail);
    expect(retried?.detail).toMatchObject({ decisionKey: KEY, rollbackExecutionId: R });
    // The retry reads the journal before any fact and resumes the stored decision: no put, no second restore record.
    expect(
      dynamo
        .commandCalls(PutItemCommand)
        .slice(putsBefore)
        .map((c) => c.args[0].input.Item?.executionId?.S),
    ).toEqual([]);
    expect(restoreRecordWrites()).toBe(1);
    expect(journalOf(table, 'rollback', 'leadout', KEY).state).toBe('announced');
  });

  it('observe mode: the same decision is announced as observe, nothing written to CodePipeline', async () => {
    // Prepare
    awsFor();
    const { invoke } = prepare(guardConfig({ mode: 'observe' }));

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    // The journal item only; no restore mark, as nothing was restored.
    const puts = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.executionId?.S);
    expect(puts).toEqual([`announce#${KEY}`]);
    expect(emitted(eventBridge)[0]).toMatchObject({
      detailType: 'RollbackStarted',
      detail: { mode: 'observe', path: 'rollback-stage', targetExecutionId: LKG },
    });
    expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('rollbackExecutionId');
  });
});

describe('rollback: failures it does not restore (invariant 3), each announced once', () => {
  const skipped = () =>
    emitted(eventBridge).map((e) => [e.detailType, (e.detail as { reason?: string }).reason]);

  it('a rollback execution (CodePipeline ROLLBACK, ManualRollback trigger) is never rolled back', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: E })
      .resolves(execution(E, { executionType: 'ROLLBACK', trigger: { triggerType: 'ManualRollback' } }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(codePipeline).not.toHaveReceivedCommand(ListPipelineExecutionsCommand);
    expect(skipped()).toEqual([['RollbackSkipped', 'rollback-of-rollback']]);
  });

  it('a restart the guard started (its restore mark in the ledger) is never rolled back', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: E })
      .resolves(execution(E, { trigger: { triggerType: 'StartPipelineExecution' } }));
    table.put({
      pipeline: { S: 'restore#leadout' },
      executionId: { S: `restore#${E}` },
      failedExecutionId: { S: OLDER },
      targetExecutionId: { S: LKG },
      path: { S: 'restart' },
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      Key: { pipeline: { S: 'restore#leadout' }, executionId: { S: `restore#${E}` } },
      ConsistentRead: true,
    });
    expect(restoreCalls()).toHaveLength(0);
    expect(skipped()).toEqual([['RollbackSkipped', 'rollback-of-rollback']]);
  });

  it('the guard rejected E at the gate: nothing was deployed', async () => {
    // Prepare
    awsFor({
      actions: [
        {
          stageName: 'Prod',
          actionName: 'BakeGate',
          status: 'Failed',
          input: { actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' } },
          output: {
            executionResult: { externalExecutionSummary: 'Rejected by release-guard: Dev alarm api-5xx' },
          },
        },
      ],
    });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-failed'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(codePipeline).not.toHaveReceivedCommand(ListPipelineExecutionsCommand);
    expect(skipped()).toEqual([['RollbackSkipped', 'guard-rejection']]);
  });

  it('a Build failure restores nothing', async () => {
    // Prepare
    awsFor({ actions: [{ ...deployFailed, stageName: 'Build', actionName: 'Build' }] });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-no-trigger'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(skipped()).toEqual([['RollbackSkipped', 'before-deploying-stages']]);
  });

  it('no execution before E succeeded: no-known-good-release', async () => {
    // Prepare
    awsFor({ history: [summary(E, 'Failed', FAILED_COMMIT), summary(OLDER, 'Failed', 'c0ffee1')] });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(skipped()).toEqual([['RollbackSkipped', 'no-known-good-release']]);
  });

  it('the LKG ran the failing commit itself: never restored', async () => {
    // Prepare
    awsFor({ history: [summary(E, 'Failed', FAILED_COMMIT), summary(LKG, 'Succeeded', FAILED_COMMIT)] });
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(skipped()).toEqual([['RollbackSkipped', 'target-is-failing-commit']]);
  });

  it('a SUPERSEDED execution is not a failure: announced without a single read', async () => {
    // Prepare
    awsFor();
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-superseded'));

    // Assess
    expect(codePipeline).not.toHaveReceivedAnyCommand();
    expect(skipped()).toEqual([['RollbackSkipped', 'not-a-failure']]);
  });

  it('an execution still InProgress (stage event ahead of the pipeline): nothing claimed, nothing said', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: E })
      .resolves(execution(E, { status: 'InProgress' }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/stage-prod-failed'));

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('a read is throttled: thrown for a retry (the failed attempt counted), nothing journaled, restored or announced', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { invoke } = prepare();

    // Act
    const run = invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'TransientAwsError' });
    expect(restoreCalls()).toHaveLength(0);
    expect(dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.executionId?.S)).toEqual([
      `rollback ${loadEvent('codepipeline/pipeline-failed-modern').id}`,
    ]);
    expect(table.item('leadout', `announce#${KEY}`)).toBeUndefined();
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('the retry after a throttled read restores once', async () => {
    // Prepare: the first ListPipelineExecutions is throttled, the retry's succeeds
    awsFor();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .rejectsOnce(throttled)
      .resolves({ pipelineExecutionSummaries: HISTORY });
    const { invoke } = prepare();
    const event = loadEvent('codepipeline/pipeline-failed-modern');

    // Act
    await expect(invoke(event)).rejects.toThrow();
    await invoke(event);

    // Assess
    expect(restoreCalls()).toHaveLength(1);
    expect(emitted(eventBridge)).toMatchObject([{ detailType: 'RollbackStarted' }]);
  });

  it('a read is refused (not transient): GuardFailed under the decision key, nothing restored', async () => {
    // Prepare
    awsFor();
    codePipeline
      .on(ListPipelineExecutionsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { invoke } = prepare();

    // Act
    await invoke(loadEvent('codepipeline/pipeline-failed-modern'));

    // Assess
    expect(restoreCalls()).toHaveLength(0);
    expect(dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.executionId?.S)).toEqual([
      `announce#${KEY}`,
    ]);
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'GuardFailed',
        detail: { reaction: 'rollback', decisionKey: KEY, error: { name: 'AccessDeniedException' } },
      },
    ]);
    expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('call');
  });

  it('a failure of an unguarded pipeline or a non-deploying stage event is ignored without a call', async () => {
    // Prepare
    const { invoke } = prepare();
    const other = loadEvent('codepipeline/pipeline-failed-modern');
    other.detail.pipeline = 'someone-else';
    const build = loadEvent('codepipeline/stage-prod-failed');
    build.detail.stage = 'Build';

    // Act
    await invoke(other);
    await invoke(build);

    // Assess
    expectNoAwsCall(mocks);
  });

  it('a malformed event is logged and dropped', async () => {
    // Prepare
    const { invoke, log } = prepare();
    const event = loadEvent('malformed/pipeline-failed-missing-state');

    // Act
    await invoke(event);

    // Assess
    expectDroppedInvalid(event, log, mocks);
  });
});
