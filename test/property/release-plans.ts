/**
 * Random release schedules for the property tests: a small plan (commits, alarm flaps, human transition
 * changes, duplicate and lost/late events) turned into a simulator scenario and run through the real
 * handlers. Times are minutes after the scenario start.
 *
 * Timing convention: commits, transitions, duplicates and late deliveries happen on whole minutes, so
 * every pipeline change, timer and approval happens on a whole minute (plus the seconds of the approval
 * token lag and its retries); alarm changes happen on half minutes. An alarm change is therefore never
 * at the same instant as a Dev success or an approval. (A Dev success and an approval can share an instant;
 * the oracle orders those by the world's own sequence of events.)
 */
import fc from 'fast-check';
import { scenarioSchema, type Scenario } from '../../simulator/scenario';
import { functionRules } from '../../events/rules';
import { runScenario, type RunOptions, type ScenarioRun } from '../../simulator/run-scenario';
import { awsEvent } from '../../simulator/world/aws-event';
import { ANNOUNCEMENT_SINKS, sinkIsolationViolations } from './sink-isolation';
import { tapped, type WorldEvent } from './world-tap';

export const START = '2026-11-27T09:00:00Z';
export const START_MS = Date.parse(START);
export const PIPELINE = 'leadout';
export const SELECTED_ALARMS = ['leadout-dev-api-5xx', 'leadout-dev-latency-p99'] as const;
export const OTHER_ALARM = 'other-batch-errors';
export const SELECTED_PREFIX = 'leadout-dev-';

/** LeadOut's layout (README "Dev and Prod in other accounts"): the Dev alarms in an account of their own. */
const DEV_ACCOUNT = '222233334444';
const DEV_ROLE = `arn:aws:iam::${DEV_ACCOUNT}:role/leadout-release-guard-property-dev`;
const DEV_ACCOUNT_ENVIRONMENTS = {
  deployment: { accountId: '111122223333', region: 'us-east-1' },
  dev: { accountId: DEV_ACCOUNT, roleArn: DEV_ROLE, externalId: 'property-dev' },
};
const DEV_ACCOUNT_WORLD = { id: DEV_ACCOUNT, roles: [{ arn: DEV_ROLE, externalId: 'property-dev' }] };

/** The person allowed to break glass in the property tests' histories. */
const OVERRIDER = 'ana';

export const STAGE_CHANGE = 'CodePipeline Stage Execution State Change';
export const ACTION_CHANGE = 'CodePipeline Action Execution State Change';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
type DuplicateKind = 'dev-succeeded' | 'timer' | 'gate-started' | 'old-dev-succeeded' | 'old-gate-started';
type LossKind = 'dev-succeeded' | 'gate-started';

export type Plan = {
  bakeMinutes: number;
  insufficientData: 'ignore' | 'block';
  runFor: number;
  /** How long CodePipeline takes to issue the approval token; over ~7 s the guard's retries give up and
   * EventBridge delivers the trigger again a minute later. */
  tokenLagSeconds: number;
  /** Distinct whole minutes, ascending: each commit's execution is known by its start time. */
  commits: number[];
  selectedAlarms: number;
  initial: [AlarmState, AlarmState, AlarmState];
  /** `alarm` indexes the scenario's alarms (selected ones first, then the other one); times from a commit. */
  flaps: { alarm: number; commit: number; offset: number; state: AlarmState }[];
  transitions: { commit: number; offset: number; enabled: boolean }[];
  duplicates: { kind: DuplicateKind; commit: number; offset: number }[];
  /** Per commit, the stage its deploy fails in (a rollback follows, which the gate lets through). */
  failIn: ('Dev' | 'Prod' | undefined)[];
  /** A person's promote-now (break glass), minutes after a commit, optionally despite a firing Dev alarm. */
  overrides?: { commit: number; offset: number; despiteAlarm: boolean }[];
  /** The Dev alarms live in a Dev account of their own (forwarded events, read through the Dev role). */
  devAccount?: boolean;
  /** An event of one commit's execution EventBridge loses, optionally delivered late after all. */
  loss?: { kind: LossKind; commit: number; lateBy?: number };
};

const state = fc.constantFrom<AlarmState>('OK', 'ALARM', 'INSUFFICIENT_DATA');
const initialState = fc.oneof(
  { weight: 4, arbitrary: fc.constant<AlarmState>('OK') },
  { weight: 1, arbitrary: state },
);

export const planArb: fc.Arbitrary<Plan> = fc
  .record(
    {
      bakeMinutes: fc.integer({ min: 5, max: 90 }),
      insufficientData: fc.constantFrom('ignore', 'block'),
      runFor: fc.integer({ min: 30, max: 600 }),
      tokenLagSeconds: fc.constantFrom(2, 0, 5, 10),
      commits: fc
        .uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 4 })
        .map((c) => [...c].sort((a, b) => a - b)),
      selectedAlarms: fc.integer({ min: 1, max: 2 }),
      initial: fc.tuple(initialState, initialState, initialState),
      flaps: fc.array(
        fc.record({
          alarm: fc.nat(2),
          commit: fc.nat(3),
          offset: fc.integer({ min: -10, max: 150 }),
          state,
        }),
        { maxLength: 6 },
      ),
      transitions: fc.array(
        fc.record({ commit: fc.nat(3), offset: fc.integer({ min: -5, max: 150 }), enabled: fc.boolean() }),
        { maxLength: 3 },
      ),
      duplicates: fc.array(
        fc.record({
          kind: fc.constantFrom<DuplicateKind>(
            'dev-succeeded',
            'timer',
            'gate-started',
            'old-dev-succeeded',
            'old-gate-started',
          ),
          commit: fc.nat(3),
          offset: fc.integer({ min: 10, max: 150 }),
        }),
        { maxLength: 4 },
      ),
      failIn: fc.array(fc.option(fc.constantFrom<'Dev' | 'Prod'>('Dev', 'Prod'), { nil: undefined }), {
        maxLength: 4,
      }),
      devAccount: fc.boolean(),
      loss: fc.option(
        fc.record(
          {
            kind: fc.constantFrom<LossKind>('dev-succeeded', 'gate-started'),
            commit: fc.nat(3),
            lateBy: fc.integer({ min: 1, max: 120 }),
          },
          { requiredKeys: ['kind', 'commit'] },
        ),
        { nil: undefined },
      ),
    },
    {
      requiredKeys: [
        'bakeMinutes',
        'insufficientData',
        'runFor',
        'tokenLagSeconds',
        'commits',
        'selectedAlarms',
        'initial',
      ],
    },
  )
  .map((p) => ({ flaps: [], transitions: [], duplicates: [], failIn: [], ...p }));

export function alarmNames(plan: Plan): string[] {
  return [...SELECTED_ALARMS.slice(0, plan.selectedAlarms), OTHER_ALARM];
}

/** The ISO `start-time` CodePipeline puts in every event of the execution a commit started. */
export function startTimeOf(minute: number): string {
  return new Date(START_MS + minute * 60_000).toISOString();
}

type Pattern = Record<string, unknown>;
type StepInput = Record<string, unknown> & { at: number };

function stagePattern(stage: string, stateValue: string, startTime?: string): Pattern {
  return {
    'detail-type': [STAGE_CHANGE],
    detail: { stage: [stage], state: [stateValue], ...(startTime ? { 'start-time': [startTime] } : {}) },
  };
}

function gatePattern(stateValue: string, startTime?: string): Pattern {
  return {
    'detail-type': [ACTION_CHANGE],
    detail: {
      stage: ['Prod'],
      action: ['BakeGate'],
      state: [stateValue],
      ...(startTime ? { 'start-time': [startTime] } : {}),
    },
  };
}

function duplicatePattern(kind: DuplicateKind, startTime: string): Pattern {
  switch (kind) {
    case 'dev-succeeded':
      return stagePattern('Dev', 'SUCCEEDED');
    case 'old-dev-succeeded':
      return stagePattern('Dev', 'SUCCEEDED', startTime);
    case 'gate-started':
      return gatePattern('STARTED');
    case 'old-gate-started':
      return gatePattern('STARTED', startTime);
    case 'timer':
      return { source: ['leadout.release-guard'], 'detail-type': ['BakeTimerFired'] };
  }
}

function lossPattern(loss: NonNullable<Plan['loss']>, startTime: string): Pattern {
  return loss.kind === 'dev-succeeded'
    ? stagePattern('Dev', 'SUCCEEDED', startTime)
    : gatePattern('STARTED', startTime);
}

/** The scenario a plan describes, before the late delivery (which needs the run to know the event). */
export function planScenario(plan: Plan): Scenario {
  const commitAt = (i: number) => plan.commits[i % plan.commits.length]!;
  const names = alarmNames(plan);
  const timeline: StepInput[] = [];
  if (plan.loss) {
    const minute = commitAt(plan.loss.commit);
    timeline.push({ at: minute, lose: lossPattern(plan.loss, startTimeOf(minute)) });
  }
  plan.commits.forEach((minute, i) => {
    const failIn = plan.failIn[i];
    const id = `c${i + 1}${minute.toString(16).padStart(3, '0')}`;
    timeline.push({ at: minute, commit: { id, ...(failIn ? { failIn } : {}) } });
  });
  for (const f of plan.flaps) {
    timeline.push({
      at: Math.max(0, commitAt(f.commit) + f.offset) + 0.5,
      alarm: { name: names[f.alarm % names.length]!, state: f.state },
    });
  }
  for (const t of plan.transitions) {
    timeline.push({
      at: Math.max(0, commitAt(t.commit) + t.offset),
      transition: t.enabled
        ? { stage: 'Prod', enabled: true, by: 'ana (team lead)' }
        : { stage: 'Prod', enabled: false, reason: 'Release freeze', by: 'ana (team lead)' },
    });
  }
  for (const o of plan.overrides ?? []) {
    timeline.push({
      at: commitAt(o.commit) + o.offset + 0.25,
      person: { command: 'promote-now', by: OVERRIDER, reason: 'break glass', despiteAlarm: o.despiteAlarm },
    });
  }
  for (const d of plan.duplicates) {
    const minute = commitAt(d.commit);
    timeline.push({ at: minute + d.offset, redeliver: duplicatePattern(d.kind, startTimeOf(minute)) });
  }
  return scenarioSchema.parse({
    name: 'invariant 1 property',
    start: START,
    runFor: plan.runFor,
    config: {
      mode: 'enforce',
      bakeMinutes: plan.bakeMinutes,
      insufficientData: plan.insufficientData,
      ...(plan.devAccount ? { environments: DEV_ACCOUNT_ENVIRONMENTS } : {}),
      people: {
        allow: [{ principals: [`arn:aws:iam::111122223333:user/${OVERRIDER}`], commands: ['promote-now'] }],
      },
    },
    world: {
      pipelines: [{ name: PIPELINE, tokenLagSeconds: plan.tokenLagSeconds }],
      ...(plan.devAccount ? { accounts: [DEV_ACCOUNT_WORLD] } : {}),
      alarms: names.map((name, i) => ({
        name,
        state: plan.initial[i],
        ...(plan.devAccount ? { account: DEV_ACCOUNT } : {}),
      })),
    },
    timeline,
  });
}

export type PlanRun = { scenario: Scenario; run: ScenarioRun; emitted: WorldEvent[] };

/**
 * The routing without the announcement sinks (sink-isolation.ts). Each sink writes only its own ledger partitions
 * and nothing else, and no deciding function reads them (the command function reads the decision history, for the
 * `status` and `history` answers only): checked on every run below. Invariants 1, 2 and 3 judge approvals,
 * transitions and rollbacks, what the deciding functions do, and their 30,000 runs cost about a third less without
 * the sinks (docs/performance.md). One condition: in the simulator a delivery's targets run one after another on one
 * clock, so a sink that waits (Slack failing, its retries) moves the start of the targets after it; these runs have
 * no Slack outage, no Slack click and no fault that is not aimed at one function, and runResolved refuses a
 * scenario with one. sinks-change-nothing
 * .test.ts compares runs with and without the sinks; invariants 4 and 5 run every function.
 */
export const withoutSinks: typeof functionRules = (config) =>
  Object.fromEntries(
    Object.entries(functionRules(config)).filter(([name]) => !ANNOUNCEMENT_SINKS.includes(name)),
  );

const NO_MATCH = /^redeliver: no delivered event matches (.*)$/;

/**
 * Runs a scenario; a duplicate of an event that never happened (its execution was superseded before it got
 * there, say) cannot be delivered, so that redeliver step is dropped and the scenario run again. The run is
 * deterministic, so this is the same as never having planned that duplicate.
 */
export async function runResolved(scenario: Scenario, options: RunOptions = {}): Promise<PlanRun> {
  if (options.rules === withoutSinks) refuseWithoutSinks(scenario);
  let current = scenario;
  for (;;) {
    try {
      const { result: run, emitted } = await tapped(() => runScenario(current, options));
      const isolation = sinkIsolationViolations(run.timeline);
      if (isolation.length > 0) {
        throw new Error(`the announcement sinks are not isolated:\n${isolation.join('\n')}`);
      }
      return { scenario: current, run, emitted };
    } catch (error) {
      const m = error instanceof Error ? NO_MATCH.exec(error.message) : null;
      if (!m) throw error;
      const failing = [...current.timeline]
        .sort((a, b) => a.at - b.at)
        .find((s) => 'redeliver' in s && JSON.stringify(s.redeliver) === m[1]);
      if (!failing) throw error;
      current = { ...current, timeline: current.timeline.filter((s) => s !== failing) };
    }
  }
}

/** What a run without the sinks cannot stand for: a Slack answer, a click on notify's buttons, a fault by count. */
function refuseWithoutSinks(scenario: Scenario): void {
  for (const step of scenario.timeline) {
    const unfit = 'slackClick' in step || 'slack' in step || ('fault' in step && !step.fault.function);
    if (unfit) throw new Error(`withoutSinks: a step the sinks take part in: ${JSON.stringify(step)}`);
  }
}

/**
 * Runs a plan. With a late delivery, the scenario first runs without it to learn the lost event (its
 * execution id is generated during the run); the run is identical up to the late delivery, so the event
 * is then injected as a full `event` step, in CodePipeline's shape, with its original time.
 */
export async function runPlan(plan: Plan, options: RunOptions = {}): Promise<PlanRun> {
  const first = await runResolved(planScenario(plan), options);
  const loss = plan.loss;
  if (!loss?.lateBy) return first;
  const startTime = startTimeOf(plan.commits[loss.commit % plan.commits.length]!);
  const lost = first.emitted.find((e) =>
    loss.kind === 'dev-succeeded'
      ? e.detailType === STAGE_CHANGE &&
        e.detail.stage === 'Dev' &&
        e.detail.state === 'SUCCEEDED' &&
        e.detail['start-time'] === startTime
      : e.detailType === ACTION_CHANGE &&
        e.detail.stage === 'Prod' &&
        e.detail.action === 'BakeGate' &&
        e.detail.state === 'STARTED' &&
        e.detail['start-time'] === startTime,
  );
  if (!lost) return first;
  const at = Math.ceil((lost.atMs - START_MS) / 60_000) + loss.lateBy;
  const event = awsEvent(
    '1a7e0000-0000-4000-a000-00000000da1e',
    new Date(lost.atMs),
    lost.source,
    lost.detailType,
    lost.detail,
    lost.resources,
  );
  return runResolved({ ...first.scenario, timeline: [...first.scenario.timeline, { at, event }] }, options);
}

/** Plans with people's break glass too (invariant 1's second exception): random promote-nows after commits. */
export const planWithOverridesArb: fc.Arbitrary<Plan> = fc
  .tuple(
    planArb,
    fc.array(
      fc.record({ commit: fc.nat(3), offset: fc.integer({ min: 5, max: 60 }), despiteAlarm: fc.boolean() }),
      { maxLength: 2 },
    ),
  )
  .map(([plan, overrides]) => ({ ...plan, overrides }));
