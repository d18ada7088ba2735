import { describe, expect, it } from 'vitest';

import {
  decideAlarmGate,
  type AlarmGateInput,
  type AlarmSignal,
} from '../../handlers/alarm-gate/decide-alarm-gate';
import { decideReconcile, type ReconcileInput } from '../../handlers/reconcile/decide-reconcile';
import { decideTimerSweep, timerPrefix } from '../../handlers/bake-timer-sweep/decide-timer-sweep';
import { bakeTimerName } from '../../handlers/bake-start/decide-bake';
import type { AlarmNow } from '../../lib/aws/cloudwatch';
import type { ReleaseRecord } from '../../lib/aws/ledger';
import type { ProdView } from '../../lib/aws/prod-transition';
import type { RestoreRecord } from '../../lib/aws/rollback-ledger';

const E = 'e4625dc7-00d8-4c86-b735-d491150cfb97';
const TOKEN = '0f6b2c1e-8d4a-4b7e-9c35-a1e2f3b4c5d6';
const FIRED_AT = new Date('2026-11-27T14:05:42.000Z');
const GUARD_REASON = 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-11-27 14.05 UTC)';
const HUMAN_REASON = 'Release freeze for the customer demo';

const signal = (change: Partial<AlarmSignal> = {}): AlarmSignal => ({
  alarmName: 'leadout-dev-api-5xx',
  state: 'ALARM',
  previous: 'OK',
  at: FIRED_AT,
  ...change,
});
const open = (waiting = true): ProdView => ({
  transition: { enabled: true },
  waiting: waiting ? { executionId: E, token: TOKEN } : undefined,
  prodInbound: [],
});
const closed = (reason: string, waiting = false): ProdView => ({
  transition: { enabled: false, reason, changedBy: 'ana', changedAt: new Date('2026-11-27T14:00:00Z') },
  waiting: waiting ? { executionId: E, token: TOKEN } : undefined,
  prodInbound: [],
});
const alarm = (name: string, state: AlarmNow['state']): AlarmNow => ({ name, state, since: FIRED_AT });
const R = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const inbound = (reason: string, id: string): ProdView => ({ ...closed(reason), prodInbound: [id] });
const restoreOf = (failedStage: string, id = E): RestoreRecord => ({
  pipeline: 'leadout',
  restoreExecutionId: id,
  failedExecutionId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  path: 'restart',
  failedStage,
});
const input = (change: Partial<AlarmGateInput> = {}): AlarmGateInput => ({
  signal: signal(),
  selector: { namePrefix: 'leadout-dev-' },
  prodStage: 'Prod',
  insufficientData: 'ignore',
  mode: 'enforce',
  ...change,
});

describe('decideAlarmGate', () => {
  it.each<[string, Partial<AlarmGateInput>, Record<string, unknown>]>([
    ['an alarm outside the prefix', { signal: signal({ alarmName: 'batch-errors' }) }, { kind: 'ignore' }],
    ['a tag selector without tags yet', { selector: { tags: { team: 'maps' } } }, { kind: 'need-tags' }],
    [
      'tags of another team',
      { selector: { tags: { team: 'maps' } }, tags: { team: 'batch' } },
      { kind: 'ignore' },
    ],
    ['a selected alarm, Prod not read yet', {}, { kind: 'need-view' }],
    [
      'ALARM with Prod open and an approval waiting: close first, the reject asks whether it is the guard’s restore',
      { view: open() },
      {
        kind: 'block',
        disable: true,
        transitionReason: GUARD_REASON,
        reject: { executionId: E, token: TOKEN, unlessGuardRestore: true },
      },
    ],
    [
      'observe: ALARM with Prod open and an approval waiting: is it the guard’s restore? (nothing is closed)',
      { mode: 'observe', view: open() },
      { kind: 'need-restore', executionId: E },
    ],
    [
      'ALARM with Prod open and an approval waiting',
      { view: open(), waitingRestore: 'none' },
      {
        kind: 'block',
        disable: true,
        transitionReason: GUARD_REASON,
        reject: { executionId: E, token: TOKEN },
      },
    ],
    [
      'ALARM with Prod open, nothing waiting',
      { view: open(false) },
      { kind: 'block', disable: true, reject: undefined },
    ],
    ['a repeated ALARM (the guard holds Prod)', { view: closed(GUARD_REASON) }, { kind: 'ignore' }],
    [
      'ALARM with the guard’s restore of a Prod failure waiting: close Prod, do not reject it',
      { view: open(), waitingRestore: restoreOf('Prod') },
      { kind: 'block', disable: true, reject: undefined },
    ],
    [
      'ALARM with the guard’s restore of a Prod failure waiting and the guard holding Prod',
      { view: closed(GUARD_REASON, true), waitingRestore: restoreOf('Prod') },
      { kind: 'ignore' },
    ],
    [
      'ALARM with the guard’s restore of a Dev failure waiting: rejected as any release',
      { view: open(), waitingRestore: restoreOf('Dev') },
      { kind: 'block', disable: true, reject: { executionId: E } },
    ],
    [
      'ALARM with Prod closed by a person, nothing waiting',
      { view: closed(HUMAN_REASON) },
      { kind: 'ignore' },
    ],
    [
      'ALARM with Prod closed by a person and an approval waiting',
      { view: closed(HUMAN_REASON, true), waitingRestore: 'none' },
      { kind: 'block', disable: false, transitionReason: HUMAN_REASON, alreadyDisabledBy: 'ana' },
    ],
    [
      'INSUFFICIENT_DATA under ignore: a recovery check, Prod open',
      { signal: signal({ state: 'INSUFFICIENT_DATA' }), view: open() },
      { kind: 'ignore' },
    ],
    [
      'INSUFFICIENT_DATA under block',
      {
        signal: signal({ state: 'INSUFFICIENT_DATA' }),
        view: open(),
        waitingRestore: 'none',
        insufficientData: 'block',
      },
      { kind: 'block', disable: true },
    ],
    [
      'OK with Prod open',
      { signal: signal({ state: 'OK', previous: 'ALARM' }), view: open() },
      { kind: 'ignore' },
    ],
    [
      'OK with the guard holding Prod: read every alarm first',
      { signal: signal({ state: 'OK' }), view: closed(GUARD_REASON) },
      { kind: 'need-alarms' },
    ],
    [
      'OK, another selected alarm still in ALARM',
      {
        signal: signal({ state: 'OK' }),
        view: closed(GUARD_REASON),
        alarms: [alarm('leadout-dev-api-5xx', 'OK'), alarm('leadout-dev-latency', 'ALARM')],
      },
      { kind: 'ignore' },
    ],
    [
      'an OK older than the alarm now in ALARM again (out of order)',
      {
        signal: signal({ state: 'OK' }),
        view: closed(GUARD_REASON),
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
      },
      { kind: 'ignore' },
    ],
    [
      'OK, every alarm OK, the guard holds Prod',
      {
        signal: signal({ state: 'OK' }),
        view: closed(GUARD_REASON),
        alarms: [alarm('leadout-dev-api-5xx', 'OK')],
      },
      { kind: 'unblock', enable: true, blockedSince: '2026-11-27T14:05:00.000Z' },
    ],
    [
      'OK, but the selector matches no alarm (wrong account, missing role): the guard keeps Prod closed',
      { signal: signal({ state: 'OK' }), view: closed(GUARD_REASON), alarms: [] },
      { kind: 'ignore', reason: expect.stringContaining('no Dev alarm matches') },
    ],
    [
      'OK, every alarm OK, a person holds Prod',
      {
        signal: signal({ state: 'OK' }),
        view: closed(HUMAN_REASON),
        alarms: [alarm('leadout-dev-api-5xx', 'OK')],
      },
      { kind: 'unblock', enable: false, transitionReason: HUMAN_REASON },
    ],
    [
      'observe: a recovery from ALARM with Prod open would have unblocked',
      {
        mode: 'observe',
        signal: signal({ state: 'OK', previous: 'ALARM' }),
        view: open(),
        alarms: [alarm('leadout-dev-api-5xx', 'OK')],
      },
      { kind: 'unblock', enable: true },
    ],
    [
      'observe: OK after INSUFFICIENT_DATA under ignore is no recovery',
      { mode: 'observe', signal: signal({ state: 'OK', previous: 'INSUFFICIENT_DATA' }), view: open() },
      { kind: 'ignore' },
    ],
  ])('%s', (_case, change, expected) => {
    expect(decideAlarmGate(input(change))).toMatchObject(expected);
  });
});

const release: ReleaseRecord = {
  pipeline: 'leadout',
  executionId: E,
  devSucceededAt: '2026-11-27T13:00:00.000Z',
  bakeEndsAt: '2026-11-27T14:00:01.000Z',
};
const reconcileInput = (change: Partial<ReconcileInput> = {}): ReconcileInput => ({
  view: open(false),
  alarms: [alarm('leadout-dev-api-5xx', 'OK')],
  release: 'not-loaded',
  prodStage: 'Prod',
  insufficientData: 'ignore',
  now: FIRED_AT,
  ...change,
});

describe('decideReconcile', () => {
  it.each<[string, Partial<ReconcileInput>, Record<string, unknown>]>([
    ['nothing waiting, nothing firing', {}, { kind: 'ignore' }],
    [
      'an alarm firing with Prod open (a lost ALARM)',
      { alarms: [alarm('leadout-dev-api-5xx', 'ALARM')], view: open(), waitingRestore: 'none' },
      { kind: 'block', disable: true, transitionReason: GUARD_REASON, reject: { executionId: E } },
    ],
    [
      'an alarm firing, the guard holds Prod, its restore of a Prod failure at the gate: hand it to promote',
      {
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
        view: closed(GUARD_REASON, true),
        waitingRestore: restoreOf('Prod'),
      },
      { kind: 'promote-restore', restore: { restoreExecutionId: E } },
    ],
    [
      'an alarm firing, the guard holds Prod, its restore of a Prod failure waits to enter: read its record',
      { alarms: [alarm('leadout-dev-api-5xx', 'ALARM')], view: inbound(GUARD_REASON, R) },
      { kind: 'need-inbound-restore', executionId: R },
    ],
    [
      'an alarm firing, the guard holds Prod for its own restore of a Prod failure: lift it for the restore',
      {
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
        view: inbound(GUARD_REASON, R),
        inboundRestore: restoreOf('Prod', R),
      },
      { kind: 'unblock', enable: true, forRestore: R, alarmsChecked: [] },
    ],
    [
      'an alarm firing, the guard holds Prod, an ordinary release waits to enter: held',
      {
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
        view: inbound(GUARD_REASON, R),
        inboundRestore: 'none',
      },
      { kind: 'ignore' },
    ],
    [
      'an alarm firing, the guard holds Prod, a restore of a Dev failure waits to enter: held',
      {
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
        view: inbound(GUARD_REASON, R),
        inboundRestore: restoreOf('Dev', R),
      },
      { kind: 'ignore' },
    ],
    [
      'an alarm firing, a person holds Prod, the guard’s restore waits to enter: never lifted',
      {
        alarms: [alarm('leadout-dev-api-5xx', 'ALARM')],
        view: inbound(HUMAN_REASON, R),
        inboundRestore: restoreOf('Prod', R),
      },
      { kind: 'ignore' },
    ],
    [
      'an alarm firing, the guard holds Prod',
      { alarms: [alarm('leadout-dev-api-5xx', 'ALARM')], view: closed(GUARD_REASON) },
      { kind: 'ignore' },
    ],
    [
      'every alarm OK, the guard holds Prod (a lost OK)',
      { view: closed(GUARD_REASON) },
      { kind: 'unblock', enable: true },
    ],
    ['every alarm OK, a person holds Prod', { view: closed(HUMAN_REASON) }, { kind: 'ignore' }],
    ['an approval waiting: read its release', { view: open() }, { kind: 'need-release', executionId: E }],
    [
      'an approval waiting, release never seen: is it the guard’s restore?',
      { view: open(), release: undefined },
      { kind: 'need-restore', executionId: E },
    ],
    [
      'an approval waiting, release never seen, no restore record',
      { view: open(), release: undefined, waitingRestore: 'none' },
      { kind: 'ignore' },
    ],
    [
      'the guard’s restore of a Prod failure waiting, its gate event lost: hand it to promote',
      { view: open(), release: undefined, waitingRestore: restoreOf('Prod') },
      { kind: 'promote-restore', restore: { restoreExecutionId: E } },
    ],
    [
      'the guard’s restore of a Dev failure waiting without a release record: a person decides',
      { view: open(), release: undefined, waitingRestore: restoreOf('Dev') },
      { kind: 'ignore' },
    ],
    [
      'an approval waiting, still baking',
      { view: open(), release, now: new Date('2026-11-27T13:59:00Z') },
      { kind: 'ignore' },
    ],
    [
      'an approval waiting after a clean bake (a lost timer)',
      { view: open(), release },
      { kind: 'promote-due', release },
    ],
  ])('%s', (_case, change, expected) => {
    expect(decideReconcile(reconcileInput(change))).toMatchObject(expected);
  });
});

describe('decideTimerSweep', () => {
  const name = (id: string) => bakeTimerName('leadout', id);
  const other = bakeTimerName('other-pipeline', 'x1');
  const timers = [
    { name: name('e1'), createdAt: new Date('2026-11-27T13:00:00Z') },
    { name: name('e2'), createdAt: new Date('2026-11-27T14:10:00Z') },
    { name: other, createdAt: new Date('2026-11-27T13:00:00Z') },
  ];

  it('names timers by pipeline hash', () => {
    expect(name('e1').startsWith(timerPrefix('leadout'))).toBe(true);
    expect(other.startsWith(timerPrefix('leadout'))).toBe(false);
  });

  it('after a block, deletes the pipeline timers created before it', () => {
    expect(decideTimerSweep('leadout', { kind: 'blocked', at: FIRED_AT }, timers)).toEqual([name('e1')]);
  });

  it('on schedule, keeps the timers of executions at the gate or inbound, and young timers', () => {
    const now = new Date('2026-11-27T14:15:00Z');
    const later = new Date('2026-11-27T14:30:00Z');
    expect(decideTimerSweep('leadout', { kind: 'schedule', mayPromote: ['e2'], now }, timers)).toEqual([
      name('e1'),
    ]);
    expect(decideTimerSweep('leadout', { kind: 'schedule', mayPromote: [], now }, timers)).toEqual([
      name('e1'),
    ]);
    expect(decideTimerSweep('leadout', { kind: 'schedule', mayPromote: [], now: later }, timers)).toEqual([
      name('e1'),
      name('e2'),
    ]);
  });
});
