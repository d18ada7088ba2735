import { describe, expect, it } from 'vitest';

import { bakeTimerName, decideBake } from '../../handlers/bake-start/decide-bake';
import {
  decidePromotion,
  type AlarmFacts,
  type PromotionDecision,
  type PromotionInput,
} from '../../handlers/promote/decide-promotion';
import type { AlarmNow, AlarmTransition } from '../../lib/aws/cloudwatch';
import type { GateState } from '../../lib/aws/codepipeline';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { RestoreRecord } from '../../lib/aws/rollback-ledger';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const NEWER = 'd5190191-1f86-4b52-9227-41663d3ae069';
const OTHER = 'c2497707-c9c7-4f20-b742-f37711bd9931';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const COMMIT = '3b9e7c2d41f08a6e5c7d9b2a1f4e6c8d0a2b4c6e';

const DEV_SUCCEEDED_AT = new Date('2026-05-12T09:14:27.000Z');
const BAKE_ENDS_AT = new Date('2026-05-12T10:14:27.000Z');
/** decideBake adds a second: event times have no milliseconds. */
const TIMER_BAKE_END = new Date('2026-05-12T10:14:28.000Z');
const AFTER_BAKE = new Date('2026-05-12T10:14:29.000Z');
const DURING_BAKE = new Date('2026-05-12T09:40:00.000Z');
const at = (iso: string) => new Date(iso);

const release = (): ReleaseRecord => ({
  pipeline: 'leadout',
  executionId: E,
  devSucceededAt: DEV_SUCCEEDED_AT.toISOString(),
  bakeEndsAt: BAKE_ENDS_AT.toISOString(),
  commitId: COMMIT,
  commitMessage: 'Render tile labels with the new font stack',
});

/** E waits at the gate with its token, and E is Dev's latest success: nothing newer. */
const gate = (change: Partial<GateState> = {}): GateState => ({
  waiting: { executionId: E, token: TOKEN },
  devLatest: { executionId: E, status: 'Succeeded' },
  prodInbound: [],
  ...change,
});

const alarm = (name: string, state: AlarmNow['state'], since = '2026-05-12T08:00:00.000Z'): AlarmNow => ({
  name,
  state,
  since: at(since),
});
const moved = (
  name: string,
  from: AlarmTransition['from'],
  to: AlarmTransition['to'],
  when: string,
): AlarmTransition => ({ name, from, to, at: at(when) });

const quiet = (): AlarmFacts => ({
  current: [alarm('leadout-dev-api-5xx', 'OK'), alarm('leadout-dev-tile-latency', 'OK')],
  transitions: [],
});

const devRestore = (): RestoreRecord => ({
  pipeline: 'leadout',
  restoreExecutionId: E,
  failedExecutionId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  path: 'restart',
  failedStage: 'Dev',
});

function input(change: Partial<PromotionInput> = {}): PromotionInput {
  return {
    executionId: E,
    trigger: 'timer',
    release: release(),
    gate: gate(),
    alarms: quiet(),
    insufficientData: 'ignore',
    restore: undefined,
    prodStage: 'Prod',
    holds: [],
    freeze: { frozen: false, reasons: [] },
    now: AFTER_BAKE,
    ...change,
  };
}

/** Every row names the kind it expects; other fields are matched as given. */
type Case = {
  name: string;
  input: PromotionInput;
  expected: { kind: PromotionDecision['kind'] } & Record<string, unknown>;
};

describe('decidePromotion', () => {
  const cases: Case[] = [
    {
      name: 'a clean, baked release: its restore record is read before approving',
      input: input({ restore: 'not-loaded' }),
      expected: { kind: 'need-restore' },
    },
    {
      name: 'a baked, clean restart that restored a Dev failure → reject dev-restore, never approved',
      input: input({ restore: devRestore() }),
      expected: { kind: 'reject', reason: 'dev-restore', token: TOKEN },
    },
    {
      name: 'a Dev-only restore at the gate during its bake → reject dev-restore',
      input: input({ trigger: 'gate-started', now: DURING_BAKE, alarms: undefined, restore: devRestore() }),
      expected: { kind: 'reject', reason: 'dev-restore' },
    },
    {
      name: 'nothing waits at the gate → ignore',
      input: input({ gate: gate({ waiting: undefined }) }),
      expected: { kind: 'ignore' },
    },
    {
      name: 'another execution waits at the gate → ignore',
      input: input({ gate: gate({ waiting: { executionId: OTHER, token: TOKEN } }) }),
      expected: { kind: 'ignore' },
    },
    {
      name: 'a newer execution waits to enter Prod → reject superseded',
      input: input({ gate: gate({ prodInbound: [NEWER] }) }),
      expected: { kind: 'reject', reason: 'superseded', supersededBy: NEWER, token: TOKEN, offenders: [] },
    },
    {
      name: 'a newer execution is Dev’s latest success → reject superseded',
      input: input({ gate: gate({ devLatest: { executionId: NEWER, status: 'Succeeded' } }) }),
      expected: { kind: 'reject', reason: 'superseded', supersededBy: NEWER, token: TOKEN },
    },
    {
      name: 'superseded during the bake still rejects at once (no need to wait)',
      input: input({ now: DURING_BAKE, gate: gate({ prodInbound: [NEWER] }) }),
      expected: { kind: 'reject', reason: 'superseded', supersededBy: NEWER },
    },
    {
      name: 'superseded but no token yet → await-token',
      input: input({ gate: gate({ waiting: { executionId: E }, prodInbound: [NEWER] }) }),
      expected: { kind: 'await-token' },
    },
    {
      name: 'Dev’s latest success is E itself → not superseded',
      input: input({ gate: gate({ devLatest: { executionId: E, status: 'Succeeded' } }) }),
      expected: { kind: 'approve', token: TOKEN },
    },
    {
      name: 'a newer execution still InProgress in Dev → not superseded',
      input: input({ gate: gate({ devLatest: { executionId: NEWER, status: 'InProgress' } }) }),
      expected: { kind: 'approve' },
    },
    {
      name: 'a newer execution Failed in Dev → not superseded',
      input: input({ gate: gate({ devLatest: { executionId: NEWER, status: 'Failed' } }) }),
      expected: { kind: 'approve' },
    },
    {
      name: 'E itself in the inbound list → not superseded',
      input: input({ gate: gate({ prodInbound: [E] }) }),
      expected: { kind: 'approve' },
    },
    {
      name: 'no release record (Dev success never seen) → wait',
      input: input({ release: undefined }),
      expected: { kind: 'wait' },
    },
    {
      name: 'bake not over → wait until the bake ends',
      input: input({ now: DURING_BAKE }),
      expected: { kind: 'wait', until: BAKE_ENDS_AT },
    },
    {
      name: 'bake not over and no token → wait (a wait never needs the token)',
      input: input({ now: DURING_BAKE, gate: gate({ waiting: { executionId: E } }) }),
      expected: { kind: 'wait', until: BAKE_ENDS_AT },
    },
    {
      name: 'one millisecond before the bake ends → wait',
      input: input({ now: new Date(BAKE_ENDS_AT.getTime() - 1) }),
      expected: { kind: 'wait', until: BAKE_ENDS_AT },
    },
    {
      name: 'exactly at the end of the bake → approve',
      input: input({ now: BAKE_ENDS_AT }),
      expected: { kind: 'approve', bakedMinutes: 60 },
    },
    {
      name: 'bake over, alarms not read yet → need-alarms since the Dev success',
      input: input({ alarms: undefined }),
      expected: { kind: 'need-alarms', since: DEV_SUCCEEDED_AT },
    },
    {
      name: 'bake over, alarms not read yet, no token → await-token',
      input: input({ alarms: undefined, gate: gate({ waiting: { executionId: E } }) }),
      expected: { kind: 'await-token' },
    },
    {
      name: 'bake over, clean alarms, no token → await-token',
      input: input({ gate: gate({ waiting: { executionId: E } }) }),
      expected: { kind: 'await-token' },
    },
    {
      name: 'an alarm in ALARM now → reject alarm',
      input: input({
        alarms: {
          current: [
            alarm('leadout-dev-api-5xx', 'ALARM', '2026-05-12T10:02:00.000Z'),
            alarm('leadout-dev-tile-latency', 'OK'),
          ],
          transitions: [moved('leadout-dev-api-5xx', 'OK', 'ALARM', '2026-05-12T10:02:00.000Z')],
        },
      }),
      expected: {
        kind: 'reject',
        reason: 'alarm',
        token: TOKEN,
        offenders: [{ name: 'leadout-dev-api-5xx', state: 'ALARM', since: '2026-05-12T10:02:00.000Z' }],
      },
    },
    {
      name: 'an alarm went ALARM then OK during the bake (history) → reject alarm',
      input: input({
        alarms: {
          current: [alarm('leadout-dev-api-5xx', 'OK', '2026-05-12T09:51:00.000Z')],
          transitions: [
            moved('leadout-dev-api-5xx', 'ALARM', 'OK', '2026-05-12T09:51:00.000Z'),
            moved('leadout-dev-api-5xx', 'OK', 'ALARM', '2026-05-12T09:33:00.000Z'),
          ],
        },
      }),
      expected: {
        kind: 'reject',
        reason: 'alarm',
        offenders: [expect.objectContaining({ name: 'leadout-dev-api-5xx', state: 'ALARM' })],
      },
    },
    {
      name: 'an alarm already in ALARM at the Dev success that went OK after → reject alarm',
      input: input({
        alarms: {
          current: [alarm('leadout-dev-api-5xx', 'OK', '2026-05-12T09:20:00.000Z')],
          transitions: [moved('leadout-dev-api-5xx', 'ALARM', 'OK', '2026-05-12T09:20:00.000Z')],
        },
      }),
      expected: {
        kind: 'reject',
        reason: 'alarm',
        offenders: [expect.objectContaining({ name: 'leadout-dev-api-5xx', state: 'ALARM' })],
      },
    },
    {
      name: 'INSUFFICIENT_DATA now, policy ignore → approve',
      input: input({
        alarms: { current: [alarm('leadout-dev-api-5xx', 'INSUFFICIENT_DATA')], transitions: [] },
      }),
      expected: { kind: 'approve' },
    },
    {
      name: 'INSUFFICIENT_DATA now, policy block → reject alarm',
      input: input({
        insufficientData: 'block',
        alarms: { current: [alarm('leadout-dev-api-5xx', 'INSUFFICIENT_DATA')], transitions: [] },
      }),
      expected: {
        kind: 'reject',
        reason: 'alarm',
        offenders: [expect.objectContaining({ name: 'leadout-dev-api-5xx', state: 'INSUFFICIENT_DATA' })],
      },
    },
    {
      name: 'INSUFFICIENT_DATA in the history, policy ignore → approve',
      input: input({
        alarms: {
          current: [alarm('leadout-dev-api-5xx', 'OK')],
          transitions: [
            moved('leadout-dev-api-5xx', 'INSUFFICIENT_DATA', 'OK', '2026-05-12T09:48:00.000Z'),
            moved('leadout-dev-api-5xx', 'OK', 'INSUFFICIENT_DATA', '2026-05-12T09:30:00.000Z'),
          ],
        },
      }),
      expected: { kind: 'approve' },
    },
    {
      name: 'INSUFFICIENT_DATA in the history, policy block → reject alarm',
      input: input({
        insufficientData: 'block',
        alarms: {
          current: [alarm('leadout-dev-api-5xx', 'OK')],
          transitions: [
            moved('leadout-dev-api-5xx', 'INSUFFICIENT_DATA', 'OK', '2026-05-12T09:48:00.000Z'),
            moved('leadout-dev-api-5xx', 'OK', 'INSUFFICIENT_DATA', '2026-05-12T09:30:00.000Z'),
          ],
        },
      }),
      expected: {
        kind: 'reject',
        reason: 'alarm',
        offenders: [expect.objectContaining({ name: 'leadout-dev-api-5xx', state: 'INSUFFICIENT_DATA' })],
      },
    },
    {
      name: 'clean alarms after the bake → approve',
      input: input(),
      expected: {
        kind: 'approve',
        token: TOKEN,
        bakedMinutes: 60,
        alarmsChecked: ['leadout-dev-api-5xx', 'leadout-dev-tile-latency'],
      },
    },
  ];

  it.each(cases)('$name', ({ input: given, expected }) => {
    // Act
    const decision = decidePromotion(given);

    // Assess
    expect(decision).toMatchObject(expected);
  });

  it.each([
    {
      name: 'no selected alarm changed since the Dev success: decides without reading the history',
      alarms: { current: [alarm('leadout-dev-api-5xx', 'OK')] },
      expected: { kind: 'approve' },
    },
    {
      name: 'an alarm changed since the Dev success: asks for the history of just that alarm',
      alarms: {
        current: [
          alarm('leadout-dev-api-5xx', 'OK', '2026-05-12T09:40:00.000Z'),
          alarm('leadout-dev-tile-latency', 'OK'),
        ],
      },
      expected: { kind: 'need-history', since: DEV_SUCCEEDED_AT, names: ['leadout-dev-api-5xx'] },
    },
    {
      name: 'an alarm firing now: rejects without reading the history',
      alarms: { current: [alarm('leadout-dev-api-5xx', 'ALARM', '2026-05-12T09:40:00.000Z')] },
      expected: { kind: 'reject', reason: 'alarm' },
    },
    {
      name: 'the ledger was not read yet (gate start): asks for it',
      release: 'not-loaded' as const,
      expected: { kind: 'need-release' },
    },
  ])('$name', ({ alarms, release: given, expected }) => {
    // Act
    const decision = decidePromotion(
      input({ ...(alarms ? { alarms } : {}), ...(given ? { release: given } : {}) }),
    );

    // Assess
    expect(decision).toEqual(expect.objectContaining(expected));
  });

  it('does not approve when the selector matches no Dev alarm (a misconfiguration)', () => {
    // Act
    const decision = decidePromotion(input({ alarms: { current: [], transitions: [] } }));

    // Assess
    expect(decision).toMatchObject({
      kind: 'wait',
      reason: expect.stringContaining('no Dev alarm matches'),
      unproven: true,
    });
  });

  it('says why it approves: bake minutes, alarms and the commit', () => {
    // Act
    const decision = decidePromotion(input());

    // Assess
    expect(decision.kind).toBe('approve');
    const summary = decision.kind === 'approve' ? decision.summary : '';
    expect(summary).toContain('baked 60 min');
    expect(summary).toContain(COMMIT.slice(0, 12));
    expect(summary).toContain('0 alarms');
  });

  it('names the newer execution when it rejects a superseded one', () => {
    // Act
    const decision = decidePromotion(input({ gate: gate({ prodInbound: [NEWER] }) }));

    // Assess
    expect(decision.kind === 'reject' && decision.summary).toContain(`superseded by ${NEWER}`);
  });

  it('does not mistake an alarm that stayed OK for one that fired', () => {
    // Prepare: an OK → OK history item (e.g. a reason update) is not a firing.
    const given = input({
      alarms: {
        current: [alarm('leadout-dev-api-5xx', 'OK')],
        transitions: [moved('leadout-dev-api-5xx', 'OK', 'OK', '2026-05-12T09:50:00.000Z')],
      },
    });

    // Act
    const decision = decidePromotion(given);

    // Assess
    expect(decision.kind).toBe('approve');
  });
});

describe('decideBake', () => {
  const now = new Date('2026-05-12T09:14:31.000Z');
  const facts = { executionId: E, commitId: COMMIT, commitMessage: 'Render tile labels' };

  it('keeps a timer name within Scheduler’s 64 characters of [0-9a-zA-Z-_.] for a 100-character pipeline', () => {
    // Prepare
    const pipeline = 'leadout@tiles.eu-west-1_'.padEnd(100, 'x');

    // Act
    const name = bakeTimerName(pipeline, E);

    // Assess
    expect(pipeline).toHaveLength(100);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[0-9a-zA-Z\-_.]+$/);
  });

  it('names the same timer for the same execution, and different timers for different pipelines', () => {
    // Prepare: two 100-character names that share their first 99 characters.
    const a = `${'p'.repeat(99)}a`;
    const b = `${'p'.repeat(99)}b`;

    // Act / Assess
    expect(bakeTimerName(a, E)).toBe(bakeTimerName(a, E));
    expect(bakeTimerName(a, E)).not.toBe(bakeTimerName(b, E));
    expect(bakeTimerName('leadout', E)).not.toBe(bakeTimerName('leadout', NEWER));
  });

  it('fires at the end of the bake and records when the bake ends', () => {
    // Act
    const decision = decideBake({
      pipeline: 'leadout',
      executionId: E,
      devSucceededAt: DEV_SUCCEEDED_AT,
      execution: facts,
      bakeMinutes: 60,
      restore: undefined,
      prodStage: 'Prod',
      now,
    });

    // Assess
    expect(decision.timer).toEqual({ name: bakeTimerName('leadout', E), fireAt: TIMER_BAKE_END });
    expect(decision.restore).toBeUndefined();
    expect(decision.release).toEqual({
      pipeline: 'leadout',
      executionId: E,
      devSucceededAt: DEV_SUCCEEDED_AT.toISOString(),
      bakeEndsAt: TIMER_BAKE_END.toISOString(),
      commitId: COMMIT,
      commitMessage: 'Render tile labels',
    });
  });

  it.each([
    { late: 'two hours late', now: new Date('2026-05-12T11:14:27.000Z') },
    { late: 'thirty seconds before the bake ends', now: new Date('2026-05-12T10:13:57.000Z') },
  ])('fires a minute from now for an event $late, and keeps the real bake end', ({ now: late }) => {
    // Act
    const decision = decideBake({
      pipeline: 'leadout',
      executionId: E,
      devSucceededAt: DEV_SUCCEEDED_AT,
      execution: facts,
      bakeMinutes: 60,
      restore: undefined,
      prodStage: 'Prod',
      now: late,
    });

    // Assess
    expect(decision.timer?.fireAt).toEqual(new Date(late.getTime() + 60_000));
    expect(decision.release.bakeEndsAt).toBe(TIMER_BAKE_END.toISOString());
  });

  const restoreOf = (failedStage: string | undefined) => ({
    pipeline: 'leadout',
    restoreExecutionId: E,
    failedExecutionId: NEWER,
    targetExecutionId: '0b7e4f2a-5c3d-4e1f-9a8b-7c6d5e4f3a2b',
    path: 'restart' as const,
    failedStage,
  });
  const restoring = (failedStage: string | undefined) =>
    decideBake({
      pipeline: 'leadout',
      executionId: E,
      devSucceededAt: DEV_SUCCEEDED_AT,
      execution: facts,
      bakeMinutes: 60,
      restore: restoreOf(failedStage),
      prodStage: 'Prod',
      now,
    });

  it('starts no bake timer for the guard’s restore of a Prod failure: it passes the gate at once', () => {
    // Act
    const decision = restoring('Prod');

    // Assess
    expect(decision.timer).toBeUndefined();
    expect(decision.restore).toEqual({
      failedExecutionId: NEWER,
      failedStage: 'Prod',
      passesGateUnbaked: true,
    });
    expect(decision.release.executionId).toBe(E);
  });

  it.each([{ failedStage: 'Dev' }, { failedStage: undefined }])(
    'keeps the timer of a restore of failed stage $failedStage, which never passes the gate unbaked',
    ({ failedStage }) => {
      // Act
      const decision = restoring(failedStage);

      // Assess
      expect(decision.timer).toEqual({ name: bakeTimerName('leadout', E), fireAt: TIMER_BAKE_END });
      expect(decision.restore?.passesGateUnbaked).toBe(false);
      expect(decision.restore?.failedStage).toBe(failedStage);
    },
  );
});
