/**
 * Invariant 1's only exception is a restore of a known-good release. The oracle must still catch the guard if
 * it applied that exception to an ordinary release: here the ledger is made to claim that every execution is
 * the guard's own restore, so the gate approves a lone commit the moment it arrives, unbaked.
 */
import { describe, expect, it, vi } from 'vitest';
import { executionsOf, invariant1Violations } from './invariant-1-oracle';
import { runPlan, type Plan } from './release-plans';
import { installWorldTap } from './world-tap';

vi.mock('../../lib/aws/rollback-ledger', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/aws/rollback-ledger')>();
  return {
    ...real,
    makeRollbackLedger: (...args: Parameters<typeof real.makeRollbackLedger>) => ({
      ...real.makeRollbackLedger(...args),
      getRestore: async (pipeline: string, executionId: string) => ({
        pipeline,
        restoreExecutionId: executionId,
        failedExecutionId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
        targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
        path: 'rollback-stage' as const,
        failedStage: 'Prod',
      }),
    }),
  };
});

describe('invariant 1 oracle: the rollback exception applies to restores only', () => {
  it('flags an ordinary release approved as if it were a restore', async () => {
    // Prepare: a lone clean commit, no alarm, no human
    const uninstall = installWorldTap();
    const plan: Plan = {
      bakeMinutes: 60,
      insufficientData: 'ignore',
      runFor: 120,
      tokenLagSeconds: 0,
      commits: [0],
      selectedAlarms: 1,
      initial: ['OK', 'OK', 'OK'],
      flaps: [],
      transitions: [],
      duplicates: [],
      failIn: [],
    };

    // Act
    const { scenario, run, emitted } = await runPlan(plan).finally(uninstall);

    // Assess: approved at the gate at once (+00:10), and the oracle says it was not baked
    const approved = run.timeline.filter((t) => t.kind === 'emitted' && t.detailType === 'PromotionApproved');
    expect(approved).toHaveLength(1);
    expect(invariant1Violations(scenario, run.timeline, emitted, executionsOf(run))).toEqual([
      expect.stringMatching(/approved at .*, only 0 min after its Dev success/),
    ]);
  });
});
