import { describe, expect, it } from 'vitest';
import { parseCommandBody } from '../../lib/command/command-schema';
import { doraFigures, median } from '../../lib/history/dora';
import { historyEntryOf, type HistoryEntry } from '../../lib/history/history-entry';
import { loadDecision } from '../notify/decision-fixtures';

const prod = () => 'Prod';
const entry = (at: string, decision: string, facts: HistoryEntry['facts'] = {}, executionId?: string) =>
  ({
    pipeline: 'leadout',
    decisionKey: `${decision} ${at}`,
    at,
    decision,
    mode: 'enforce',
    facts,
    ...(executionId ? { executionId } : {}),
  }) as HistoryEntry;

describe('historyEntryOf: what the history keeps of a decision', () => {
  it.each([
    ['person-command-hold', 'PersonCommand hold', 'arn:aws:sts::444455556666:assumed-role/Developer/ana'],
    ['promotion-approved', 'PromotionApproved', undefined],
    ['rollback-started', 'RollbackStarted', undefined],
    ['promotion-blocked', 'PromotionBlocked', undefined],
    ['guard-failed', 'GuardFailed', undefined],
    ['gate-answered-by-person', 'GateAnsweredByPerson', 'by'],
  ])('%s → %s, who %s', (fixture, decision, who) => {
    const e = historyEntryOf(loadDecision(fixture), prod);

    expect(e?.decision).toBe(decision);
    expect(e?.who).toBe(who === 'by' ? (loadDecision(fixture).detail as { by: string }).by : who);
    expect(e?.reason, 'every line says why').toBeTruthy();
  });

  it('names the person of a break glass (override.by) and of a rollback-now (requestedBy.by)', () => {
    const approved = loadDecision('promotion-approved');
    (approved.detail as Record<string, unknown>).override = {
      by: 'arn:aws:iam::1:user/zoe',
      reason: 'hotfix',
      skipped: [],
    };
    const rollback = loadDecision('rollback-started');
    (rollback.detail as Record<string, unknown>).requestedBy = {
      by: 'arn:aws:iam::1:user/kim',
      reason: 'upside down',
    };

    expect(historyEntryOf(approved, prod)?.who).toBe('arn:aws:iam::1:user/zoe');
    expect(historyEntryOf(rollback, prod)?.who).toBe('arn:aws:iam::1:user/kim');
  });

  it('marks a rollback of a Prod failure as a Prod failure, and a Dev one not', () => {
    const dev = loadDecision('rollback-started-dev-restart');

    expect(historyEntryOf(loadDecision('rollback-started'), prod)?.facts.prodFailure).toBe(true);
    expect(historyEntryOf(dev, prod)?.facts.prodFailure).toBe(false);
  });
});

describe('doraFigures', () => {
  const since = new Date('2026-05-01T00:00:00Z');
  const until = new Date('2026-05-31T00:00:00Z');

  it('counts a gate a person approved in the console as a deployment to Prod, a rejection not', () => {
    const f = doraFigures(
      [
        entry('2026-05-02T10:00:00.000Z', 'GateAnsweredByPerson', { personApproved: true }),
        entry('2026-05-03T10:00:00.000Z', 'GateAnsweredByPerson', { personApproved: false }),
      ],
      since,
      until,
    );

    expect(f.deploymentsToProd).toBe(1);
    expect(f.medianLeadTimeMinutes).toBeUndefined();
  });

  it('has no change failure rate without a deployment, and counts an unrestored failure', () => {
    const f = doraFigures(
      [entry('2026-05-02T10:00:00.000Z', 'RollbackSkipped', { prodFailure: true })],
      since,
      until,
    );

    expect(f).toMatchObject({ deploymentsToProd: 0, prodFailures: 1, restored: 0, notRestored: 1 });
    expect(f.changeFailureRate).toBeUndefined();
  });

  it('leaves restores out of the lead time, and decisions outside the period out of everything', () => {
    const f = doraFigures(
      [
        entry('2026-04-30T23:00:00.000Z', 'PromotionApproved', { bakedMinutes: 500 }),
        entry('2026-05-03T10:00:00.000Z', 'PromotionApproved', { bakedMinutes: 60 }),
        entry('2026-05-04T10:00:00.000Z', 'PromotionApproved', { bakedMinutes: 90 }),
        entry('2026-05-04T11:00:00.000Z', 'RollbackStarted', { prodFailure: true, rollbackExecutionId: 'r' }),
        entry('2026-05-04T11:25:00.000Z', 'PromotionApproved', { bakedMinutes: 0, rollbackOf: 'x' }, 'r'),
      ],
      since,
      until,
    );

    expect(f).toMatchObject({
      deploymentsToProd: 3,
      prodFailures: 1,
      changeFailureRate: 0.333,
      restored: 1,
      medianMinutesToRestore: 25,
      medianLeadTimeMinutes: 75,
    });
  });

  it.each([
    [[], undefined],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('history command body: --since', () => {
  const now = new Date('2026-05-13T08:00:00Z');
  it.each([
    ['30d', '2026-04-13T08:00:00.000Z'],
    ['2026-05-01', '2026-05-01T00:00:00.000Z'],
    ['2026-05-12T10:00:00+02:00', '2026-05-12T08:00:00.000Z'],
  ])('%s → %s', (since, iso) => {
    const parsed = parseCommandBody({ command: 'history', pipeline: 'leadout', since }, now);

    expect(parsed).toEqual({ ok: true, command: { command: 'history', pipeline: 'leadout', since: iso } });
  });

  it.each(['tomorrow', '2026-06-01', '99999d'])('refuses %s, naming since', (since) => {
    const parsed = parseCommandBody({ command: 'history', pipeline: 'leadout', since }, now);

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toMatch(/^since: /);
  });

  it('needs a pipeline', () => {
    expect(parseCommandBody({ command: 'history' }, now)).toEqual({
      ok: false,
      message: 'pipeline: required for history',
    });
  });
});
