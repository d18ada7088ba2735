import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from 'vitest';

import { makeHandler } from '../../handlers/codedeploy-report/make-handler';
import { makeCodeDeployReader } from '../../lib/aws/codedeploy';
import { guardBus, guardOutbox, invoker, mockedAws, REGION, rollbackLedger } from './clients';
import { loadEvent } from '../fixtures/load';
import { expectNoAwsCall, acceptPutEvents, captureLogger, emitted, guardConfig } from './harness';

const DEPLOYMENT = 'd-7KQ2M4N8P';
const { codeDeploy, dynamo, eventBridge, all: mocks } = mockedAws();

const config = guardConfig({
  pipelines: [
    {
      name: 'leadout',
      devAlarms: { namePrefix: 'leadout-dev-' },
      codeDeployGroups: [{ application: 'leadout-api', deploymentGroup: 'leadout-api-prod' }],
    },
  ],
});

function prepare() {
  const log = captureLogger();
  const handler = makeHandler({
    config,
    codedeploy: makeCodeDeployReader(new CodeDeployClient(REGION)),
    ledger: rollbackLedger(),
    bus: guardBus(),
    outbox: guardOutbox('codedeploy-report'),
    logger: log.logger,
    now: () => new Date('2026-05-12T10:20:45.000Z'),
  });
  return invoker(handler);
}

beforeEach(() => {
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(GetItemCommand).resolves({});
  acceptPutEvents(eventBridge);
});

describe('codedeploy-report: a failed deployment in a configured group is reported once', () => {
  it('CodeDeploy rolled back itself: codeDeployRolledBack true, with its rollback deployment', async () => {
    // Prepare
    codeDeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        deploymentId: DEPLOYMENT,
        status: 'Failed',
        errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'too many instances failed' },
        rollbackInfo: { rollbackDeploymentId: 'd-9RB4CK55X', rollbackMessage: 'Deployment failed' },
      },
    });
    const invoke = prepare();

    // Act
    await invoke(loadEvent('codedeploy/deployment-failure-api-group'));

    // Assess
    expect(codeDeploy).toHaveReceivedCommandWith(GetDeploymentCommand, { deploymentId: DEPLOYMENT });
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ executionId: { S: `rollback#codedeploy:${DEPLOYMENT}` } }),
      ConditionExpression: 'attribute_not_exists(executionId)',
    });
    expect(emitted(eventBridge)).toMatchObject([
      {
        detailType: 'RollbackSkipped',
        detail: {
          mode: 'enforce',
          pipeline: 'leadout',
          reason: 'codedeploy-report',
          codeDeployRolledBack: true,
          codeDeploy: {
            application: 'leadout-api',
            deploymentGroup: 'leadout-api-prod',
            deploymentId: DEPLOYMENT,
            rollbackDeploymentId: 'd-9RB4CK55X',
            error: 'too many instances failed',
          },
        },
      },
    ]);
  });

  it('no automatic rollback: codeDeployRolledBack false', async () => {
    // Prepare
    codeDeploy
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { deploymentId: DEPLOYMENT, status: 'Failed' } });
    const invoke = prepare();

    // Act
    await invoke(loadEvent('codedeploy/deployment-failure-api-group'));

    // Assess
    expect(emitted(eventBridge)[0]?.detail).toMatchObject({ codeDeployRolledBack: false });
    expect(emitted(eventBridge)[0]?.detail).not.toHaveProperty('executionId');
  });

  it('a duplicate event stays silent', async () => {
    // Prepare
    codeDeploy
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { deploymentId: DEPLOYMENT, status: 'Failed' } });
    dynamo
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const invoke = prepare();

    // Act
    await invoke(loadEvent('codedeploy/deployment-failure-api-group'));

    // Assess
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('a group that is not configured, or a success, is ignored without a call', async () => {
    // Prepare
    const invoke = prepare();
    const other = loadEvent('codedeploy/deployment-failure-api-group');
    other.detail.deploymentGroup = 'leadout-api-staging';
    const success = loadEvent('codedeploy/deployment-failure-api-group');
    success.detail.state = 'SUCCESS';

    // Act
    await invoke(other);
    await invoke(success);

    // Assess
    expectNoAwsCall(mocks);
  });

  it('GetDeployment fails: GuardFailed, nothing claimed', async () => {
    // Prepare
    codeDeploy
      .on(GetDeploymentCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const invoke = prepare();

    // Act
    await invoke(loadEvent('codedeploy/deployment-failure-api-group'));

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
    expect(emitted(eventBridge)).toMatchObject([
      { detailType: 'GuardFailed', detail: { reaction: 'codedeploy-report' } },
    ]);
  });
});
