/**
 * Random release schedules with failures for the rollback property test: commits that fail in Build, Dev or
 * Prod, restores that fail, pipeline edits (structure versions), a Dev alarm that makes the guard reject at
 * the gate, and duplicated failure events. Times are minutes after the scenario start.
 */
import fc from 'fast-check';
import { scenarioSchema, type Scenario } from '../../simulator/scenario';
import { PIPELINE, START, startTimeOf } from './release-plans';

type FailIn = 'Build' | 'Dev' | 'Prod';
type DuplicateKind = 'pipeline' | 'stage' | 'action';

export type RollbackPlan = {
  mode: 'enforce' | 'observe';
  bakeMinutes: number;
  tokenLagSeconds: number;
  commits: { at: number; failIn?: FailIn }[];
  failRestoresIn?: 'Dev' | 'Prod';
  /** The error CodePipeline answers a RollbackStage on a running stage with (AWS's choice is not documented). */
  rollbackStageBusyError: 'UnableToRollbackStageException' | 'ConflictException';
  versionChanges: number[];
  alarmFlaps: { at: number; state: 'OK' | 'ALARM' }[];
  /** A FAILED event delivered again: of a commit's execution, or (`latest`) the last one of any execution. */
  duplicates: { kind: DuplicateKind; commit: number; offset: number; latest: boolean }[];
  runFor: number;
};

const failIn = fc.option(fc.constantFrom<FailIn>('Build', 'Dev', 'Prod', 'Prod'), { nil: undefined });

export const rollbackPlanArb: fc.Arbitrary<RollbackPlan> = fc.record({
  mode: fc.constantFrom<'enforce' | 'observe'>('enforce', 'enforce', 'enforce', 'observe'),
  bakeMinutes: fc.integer({ min: 5, max: 40 }),
  tokenLagSeconds: fc.constantFrom(0, 2),
  commits: fc
    .uniqueArray(fc.record({ at: fc.integer({ min: 0, max: 200 }), failIn }), {
      minLength: 1,
      maxLength: 4,
      selector: (c) => c.at,
    })
    // The first release succeeds, so most schedules have a known-good release to restore.
    .map((cs) => [...cs].sort((a, b) => a.at - b.at).map((c, i) => (i === 0 ? { at: c.at } : c))),
  failRestoresIn: fc.option(fc.constantFrom<'Dev' | 'Prod'>('Dev', 'Prod'), { nil: undefined }),
  rollbackStageBusyError: fc.constantFrom<RollbackPlan['rollbackStageBusyError']>(
    'UnableToRollbackStageException',
    'ConflictException',
  ),
  versionChanges: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 2 }),
  alarmFlaps: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 300 }),
      state: fc.constantFrom<'OK' | 'ALARM'>('OK', 'ALARM'),
    }),
    { maxLength: 3 },
  ),
  duplicates: fc.array(
    fc.record({
      kind: fc.constantFrom<DuplicateKind>('pipeline', 'stage', 'action'),
      commit: fc.nat(4),
      offset: fc.integer({ min: 1, max: 200 }),
      latest: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  runFor: fc.integer({ min: 60, max: 200 }),
});

const DETAIL_TYPES: Record<DuplicateKind, string> = {
  pipeline: 'CodePipeline Pipeline Execution State Change',
  stage: 'CodePipeline Stage Execution State Change',
  action: 'CodePipeline Action Execution State Change',
};

export function rollbackScenario(plan: RollbackPlan): Scenario {
  const timeline: Record<string, unknown>[] = plan.commits.map((c, i) => ({
    at: c.at,
    commit: {
      id: `c${i + 1}${c.at.toString(16).padStart(3, '0')}`,
      ...(c.failIn ? { failIn: c.failIn } : {}),
    },
  }));
  plan.versionChanges.forEach((at, i) => timeline.push({ at, pipelineVersion: { version: i + 2 } }));
  for (const f of plan.alarmFlaps)
    timeline.push({ at: f.at + 0.5, alarm: { name: 'leadout-dev-api-5xx', state: f.state } });
  for (const d of plan.duplicates) {
    const commit = plan.commits[d.commit % plan.commits.length]!;
    const detail = { state: ['FAILED'], ...(d.latest ? {} : { 'start-time': [startTimeOf(commit.at)] }) };
    timeline.push({ at: commit.at + d.offset, redeliver: { 'detail-type': [DETAIL_TYPES[d.kind]], detail } });
  }
  return scenarioSchema.parse({
    name: 'invariant 3 property',
    start: START,
    runFor: plan.runFor,
    config: { mode: plan.mode, bakeMinutes: plan.bakeMinutes },
    world: {
      pipelines: [
        {
          name: PIPELINE,
          tokenLagSeconds: plan.tokenLagSeconds,
          failRestoresIn: plan.failRestoresIn,
          rollbackStageBusyError: plan.rollbackStageBusyError,
        },
      ],
      alarms: [{ name: 'leadout-dev-api-5xx', state: 'OK' }],
    },
    timeline,
  });
}
