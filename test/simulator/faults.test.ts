import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { faultCases, listCalls, scenarioToYaml, sweepFaults } from '../../simulator/fault-sweep';
import { functionSettings } from '../../simulator/function-settings';
import { runScenario } from '../../simulator/run-scenario';
import { loadScenario, scenarioSchema, type Scenario } from '../../simulator/scenario';
import { armFault, faultSpecSchema, type FaultKind, type SdkError } from '../../simulator/world/faults';
import { Invocation, invoke } from '../../simulator/world/lambda';
import { fakeClients } from '../../simulator/world/services';
import type { TimelineEntry } from '../../simulator/world/timeline';
import { World } from '../../simulator/world/world';

const TABLE = 'ledger';
const root = join(import.meta.dirname, '../../simulator/scenarios');
const clean = () => loadScenario(join(root, 'default/1-clean-promotion.yml'));

function aWorld(faults: Record<string, unknown>[] = []): World {
  const world = new World(
    new Date('2026-11-27T09:00:00Z'),
    { name: 'guard', arn: 'arn:aws:events:us-east-1:111122223333:event-bus/guard' },
    { [TABLE]: ['pipeline', 'executionId'] },
  );
  for (const f of faults) world.faults.push(armFault(faultSpecSchema.parse(f)));
  world.caller = 'promote';
  return world;
}

const key = { pipeline: { S: 'leadout' }, executionId: { S: 'e1' } };
const put = (world: World, id = 'e1') =>
  fakeClients(world).dynamodb.send(
    new PutItemCommand({ TableName: TABLE, Item: { ...key, executionId: { S: id } } }),
  );
const stored = async (world: World, id = 'e1') =>
  (await fakeClients(world).dynamodb.send(
    new GetItemCommand({ TableName: TABLE, Key: { ...key, executionId: { S: id } } }),
  )) as { Item?: unknown };
const calls = (world: World) =>
  world.timeline.filter((t): t is Extract<TimelineEntry, { kind: 'aws-call' }> => t.kind === 'aws-call');
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );

describe('fault kinds, through the fake client', () => {
  it.each<[FaultKind, Partial<SdkError>]>([
    [
      'ThrottlingException',
      {
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: expect.objectContaining({ httpStatusCode: 400, attempts: 3 }),
      },
    ],
    [
      'AccessDeniedException',
      {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: expect.objectContaining({ httpStatusCode: 400 }),
      },
    ],
    [
      'InternalFailure',
      {
        name: 'InternalFailure',
        $fault: 'server',
        $metadata: expect.objectContaining({ httpStatusCode: 500, attempts: 3 }),
      },
    ],
    ['TimeoutError', { name: 'TimeoutError' }],
    ['ECONNRESET', { name: 'TimeoutError', code: 'ECONNRESET' }],
  ])('%s: the guard sees the SDK error and the write never happened', async (kind, shape) => {
    // Prepare
    const world = aWorld([{ call: 'dynamodb.PutItem', error: kind }]);

    // Act
    const error = await caught(put(world));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject(shape);
    expect((await stored(world)).Item).toBeUndefined();
    expect(calls(world)[0]).toMatchObject({
      operation: 'PutItem',
      fault: kind,
      error: expect.stringContaining(shape.name!),
    });
  });

  it('applied-then-lost: the write takes effect, the call throws TimeoutError', async () => {
    const world = aWorld([{ call: 'dynamodb.PutItem', error: 'applied-then-lost' }]);

    const error = await caught(put(world));

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((await stored(world)).Item).toBeDefined();
    expect(calls(world)[0]).toMatchObject({
      fault: 'applied-then-lost',
      error: expect.stringContaining('lost'),
    });
  });

  it('times 1 (default), nth, always, function and "*" pick the calls they say', async () => {
    const once = aWorld([{ call: 'dynamodb.PutItem', error: 'InternalFailure', nth: 2 }]);
    expect(await caught(put(once, 'a'))).toBeUndefined();
    expect(await caught(put(once, 'b'))).toMatchObject({ name: 'InternalFailure' });
    expect(await caught(put(once, 'c'))).toBeUndefined();

    const always = aWorld([{ call: '*', error: 'InternalFailure', times: 'always' }]);
    for (const id of ['a', 'b', 'c'])
      expect(await caught(put(always, id))).toMatchObject({ name: 'InternalFailure' });

    const other = aWorld([{ call: 'dynamodb.PutItem', error: 'InternalFailure', function: 'rollback' }]);
    expect(await caught(put(other))).toBeUndefined();
  });

  it('crash: the Lambda dies before sending, the call never reaches the world, its code never runs again', async () => {
    // Prepare
    const world = aWorld([{ call: 'dynamodb.PutItem', error: 'crash' }]);
    let after = false;

    // Act
    const outcome = await invoke(
      world,
      new Invocation('promote', 1, world.clock.nowMs(), 30_000),
      async () => {
        await put(world);
        after = true;
      },
    );

    // Assess
    expect(outcome.died).toMatch(/crash.*dynamodb\.PutItem/);
    expect(after).toBe(false);
    expect(calls(world)).toEqual([]);
    expect(world.timeline).toContainEqual(
      expect.objectContaining({ kind: 'fault', fault: 'crash', operation: 'PutItem' }),
    );
    expect((await stored(world)).Item).toBeUndefined();
  });

  it('hang with a request timeout: TimeoutError after requestTimeout × attempts of virtual time', async () => {
    // Prepare
    const world = aWorld([{ call: 'dynamodb.PutItem', error: 'hang' }]);
    world.clientTimeouts = { requestTimeoutMs: 3000, attempts: 3 };
    const start = world.clock.nowMs();
    let seen: { error?: SdkError; remaining: number } | undefined;

    // Act
    const outcome = await invoke(world, new Invocation('promote', 1, start, 30_000), async (context) => {
      seen = { error: await caught(put(world)), remaining: context.getRemainingTimeInMillis() };
    });

    // Assess
    expect(outcome).toEqual({});
    expect(seen?.error).toMatchObject({ name: 'TimeoutError' });
    expect(world.clock.nowMs() - start).toBe(9000);
    expect(seen?.remaining).toBe(21_000);
    expect((await stored(world)).Item).toBeUndefined();
  });

  it.each([
    ['no request timeout', undefined, 30_000],
    ['a timeout longer than the Lambda has', 3000, 5000],
  ])('hang with %s: the invocation dies at its timeout', async (_, requestTimeoutMs, timeoutMs) => {
    const world = aWorld([{ call: 'dynamodb.PutItem', error: 'hang' }]);
    world.clientTimeouts = { requestTimeoutMs, attempts: 3 };
    const start = world.clock.nowMs();

    const outcome = await invoke(world, new Invocation('promote', 1, start, timeoutMs), () =>
      put(world).then(() => undefined),
    );

    expect(outcome.died).toBe(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    expect(world.clock.nowMs()).toBe(start + timeoutMs);
  });
});

describe('the Lambda model', () => {
  it('reads each function timeout and retry setting from infra/*.yml and serverless.yml', () => {
    expect(functionSettings('promote')).toEqual({ timeoutMs: 30_000, retryAttempts: 2, onFailure: 'sqs' });
    expect(functionSettings('bakeStart').timeoutMs).toBe(30_000); // provider.timeout
    expect(functionSettings('reconcile').retryAttempts).toBe(2);
  });

  it('a ledger that always throttles: 3 attempts at +0, +1 and +3 min, then one dead letter', async () => {
    // Prepare: the decision journal cannot record the intent (nor count the attempt): nothing can be announced.
    const scenario = withSteps(clean(), [
      {
        at: 0,
        fault: {
          call: 'dynamodb.PutItem',
          error: 'ThrottlingException',
          times: 'always',
          function: 'promote',
        },
      },
    ]);
    scenario.expect.push({ dlq: 'promote', count: 1 });

    // Act
    const run = await runScenario(scenario);

    // Assess
    const failed = invocations(run.timeline).filter((t) => t.function === 'promote' && t.error);
    expect(failed.map((t) => [t.attempt, t.at])).toEqual([
      [1, '+01:10:01'],
      [2, '+01:11:01'],
      [3, '+01:13:01'],
    ]);
    expect(run.world.deadLetters).toHaveLength(1);
    expect(run.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'dlq',
        function: 'promote',
        detailType: 'BakeTimerFired',
        attempts: 3,
      }),
    );
    expect(run.results.find((r) => 'dlq' in r.expectation)?.met).toBe(true);
    expect(run.results.find((r) => 'execution' in r.expectation)?.met).toBe(false);
  });

  it('an approval that always throttles: 2 retries, then the last attempt announces GuardFailed naming the call', async () => {
    // Prepare
    const scenario = withSteps(clean(), [
      {
        at: 0,
        fault: { call: 'codepipeline.PutApprovalResult', error: 'ThrottlingException', times: 'always' },
      },
    ]);

    // Act
    const run = await runScenario(scenario);

    // Assess
    const attempts = invocations(run.timeline).filter(
      (t) => t.function === 'promote' && t.trigger === 'BakeTimerFired',
    );
    expect(attempts.map((t) => [t.attempt, t.at, Boolean(t.error)])).toEqual([
      [1, '+01:10:01', true],
      [2, '+01:11:01', true],
      [3, '+01:13:01', false],
    ]);
    expect(run.world.deadLetters).toHaveLength(0);
    const failed = run.delivered.filter((e) => e['detail-type'] === 'GuardFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toMatchObject({
      reaction: 'promote',
      call: 'codepipeline.PutApprovalResult',
      error: { name: 'ThrottlingException' },
      effects: [{ effect: 'answer-gate', outcome: 'failed' }],
    });
  });

  it('applied-then-lost on the approval: the gate is really approved', async () => {
    const scenario = withSteps(clean(), [
      { at: 0, fault: { call: 'codepipeline.PutApprovalResult', error: 'applied-then-lost' } },
    ]);

    const run = await runScenario(scenario);

    const approval = calls(run.world).find((c) => c.operation === 'PutApprovalResult');
    expect(approval).toMatchObject({
      fault: 'applied-then-lost',
      error: expect.stringContaining('TimeoutError'),
    });
    expect(run.results.find((r) => 'execution' in r.expectation)).toMatchObject({ met: true });
  });

  it('crash before the approval: the approval never reached CodePipeline; the retry a minute later approves', async () => {
    const scenario = withSteps(clean(), [
      { at: 0, fault: { call: 'codepipeline.PutApprovalResult', error: 'crash' } },
    ]);

    const run = await runScenario(scenario);

    const promote = invocations(run.timeline).filter((t) => t.trigger === 'BakeTimerFired');
    expect(promote[0]).toMatchObject({
      died: true,
      attempt: 1,
      at: '+01:10:01',
      error: expect.stringContaining('crash'),
    });
    expect(promote[1]).toMatchObject({ attempt: 2, at: '+01:11:01' });
    const approvals = calls(run.world).filter((c) => c.operation === 'PutApprovalResult');
    expect(approvals.map((c) => c.at)).toEqual(['+01:11:01']);
  });
});

describe('fault sweep', () => {
  it('lists the clean run calls and yields one scenario per call and kind, plus the always variants', async () => {
    // Prepare
    const scenario = clean();
    const {
      clean: cleanRun,
      calls: sites,
      runs,
    } = await sweepFaults(scenario, {
      kinds: ['crash', 'InternalFailure'],
      sites: (s) => s.write && s.call === 'codepipeline.PutApprovalResult',
    });

    // Act
    const first = await runs.next();

    // Assess
    expect(sites).toEqual(listCalls(cleanRun));
    const approval = sites.find((s) => s.call === 'codepipeline.PutApprovalResult')!;
    expect(approval).toMatchObject({ caller: 'promote', write: true });
    expect(first.value?.fault).toEqual({ call: '*', nth: approval.index, error: 'crash', times: 1 });
    expect(first.value?.run.timeline).toContainEqual(
      expect.objectContaining({ kind: 'fault', operation: 'PutApprovalResult' }),
    );
    const cases = [
      ...faultCases(scenario, sites, { kinds: ['crash', 'InternalFailure'], sites: (s) => s === approval }),
    ];
    expect(cases.map((c) => c.label)).toEqual([
      `crash * #${approval.index}`,
      `InternalFailure * #${approval.index}`,
      'crash codepipeline.PutApprovalResult by promote always',
      'InternalFailure codepipeline.PutApprovalResult by promote always',
    ]);
  });

  it('prints a case as YAML that loads back as the same scenario', () => {
    const scenario = clean();
    const [first] = faultCases(scenario, [
      { index: 3, caller: 'bakeStart', call: 'dynamodb.PutItem', write: true },
    ]);

    const yaml = scenarioToYaml(first!.scenario);

    expect(scenarioSchema.parse(parse(yaml))).toEqual(first!.scenario);
    expect(yaml).toContain('fault:');
  });
});

function withSteps(scenario: Scenario, steps: Record<string, unknown>[]): Scenario {
  return scenarioSchema.parse({ ...scenario, timeline: [...steps, ...scenario.timeline] });
}

function invocations(timeline: TimelineEntry[]) {
  return timeline.filter((t): t is Extract<TimelineEntry, { kind: 'invocation' }> => t.kind === 'invocation');
}
