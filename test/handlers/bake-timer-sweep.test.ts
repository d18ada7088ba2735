import {
  CodePipelineClient,
  GetPipelineStateCommand,
  type GetPipelineStateOutput,
} from '@aws-sdk/client-codepipeline';
import { beforeEach, describe, expect, it } from 'vitest';

import { bakeTimerName } from '../../handlers/bake-start/decide-bake';
import { makeHandler } from '../../handlers/bake-timer-sweep/make-handler';
import { makeBakeTimerSweeper } from '../../lib/aws/bake-timer-sweep';
import { makeCodePipelineGateway } from '../../lib/aws/codepipeline';
import { AwsCallError } from '../../lib/aws/signed-call';
import { invoker, mockedAws, REGION } from './clients';
import { captureLogger, deployment, guardConfig, scheduledEvent } from './harness';

const OLD = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const WAITING = 'd5190191-1f86-4b52-9227-41663d3ae069';
const NOW = new Date('2026-05-12T10:20:00.000Z');

const { scheduler, codePipeline } = mockedAws();

function prepare(mode: 'observe' | 'enforce' = 'enforce') {
  const log = captureLogger();
  const handler = makeHandler({
    config: guardConfig({ mode }),
    timers: makeBakeTimerSweeper(scheduler.client, deployment.scheduleGroup),
    codepipeline: makeCodePipelineGateway(new CodePipelineClient(REGION)),
    logger: log.logger,
    now: () => NOW,
  });
  return invoker(handler);
}

/** PromotionBlocked as the guard's bus delivers it. */
const blocked = (mode: 'observe' | 'enforce') => ({
  version: '0',
  id: '4e7d2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c1b',
  'detail-type': 'PromotionBlocked',
  source: 'leadout.release-guard',
  account: '444455556666',
  time: '2026-05-12T10:00:05Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    mode,
    pipeline: 'leadout',
    prodStage: 'Prod',
    alarms: [{ name: 'leadout-dev-api-5xx', state: 'ALARM', since: '2026-05-12T10:00:03.000Z' }],
    transitionReason: 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-05-12 10.00 UTC)',
    trigger: 'alarm-event',
  },
});

const state: GetPipelineStateOutput = {
  pipelineName: 'leadout',
  stageStates: [
    {
      stageName: 'Prod',
      latestExecution: { pipelineExecutionId: WAITING, status: 'InProgress' },
      actionStates: [{ actionName: 'BakeGate', latestExecution: { status: 'InProgress' } }],
    },
  ],
};

beforeEach(() => {
  scheduler.on('ListSchedules').resolves({
    Schedules: [
      { Name: bakeTimerName('leadout', OLD), CreationDate: new Date('2026-05-12T09:14:28.000Z') },
      { Name: bakeTimerName('leadout', WAITING), CreationDate: new Date('2026-05-12T09:40:00.000Z') },
    ],
  });
  scheduler.on('DeleteSchedule').resolves({});
  codePipeline.on(GetPipelineStateCommand).resolves(state);
});

describe('bake timer sweep', () => {
  it('deletes every pending bake timer of a pipeline the guard blocked', async () => {
    await prepare()(blocked('enforce'));

    expect(scheduler.inputs('ListSchedules')).toContainEqual(
      expect.objectContaining({
        GroupName: deployment.scheduleGroup,
        NamePrefix: bakeTimerName('leadout', ''),
      }),
    );
    expect(scheduler.inputs('DeleteSchedule')).toHaveLength(2);
    expect(codePipeline).not.toHaveReceivedAnyCommand();
  });

  it('keeps the timers after an observe-mode block, which closed nothing', async () => {
    await prepare('observe')(blocked('observe'));

    expect(scheduler.operations()).toEqual([]);
  });

  it('on schedule, deletes only the timers of executions neither at the gate nor inbound', async () => {
    await prepare()(scheduledEvent('bakeTimerSweep'));

    expect(scheduler.inputs('DeleteSchedule')).toHaveLength(1);
    expect(scheduler.inputs('DeleteSchedule')).toContainEqual(
      expect.objectContaining({
        Name: bakeTimerName('leadout', OLD),
        GroupName: deployment.scheduleGroup,
      }),
    );
  });

  it('takes a timer that fired meanwhile as gone', async () => {
    scheduler
      .on('DeleteSchedule')
      .rejects(
        new AwsCallError('ResourceNotFoundException', 'Schedule not found', { status: 404, attempts: 1 }),
      );

    await expect(prepare()(scheduledEvent('bakeTimerSweep'))).resolves.toBeUndefined();
  });
});
