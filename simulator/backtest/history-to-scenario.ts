import type { GuardConfig, GuardedPipeline } from '../../config/schema';
import type { Scenario, Step } from '../scenario';
import type { StageConfig } from '../stage-config';
import type { History, HistoryPipeline } from './history';
import { alarmSteps, initialState } from './replay-alarms';
import { readExecutions, type RecordedExecution } from './read-history';

/** What the replay runs: a scenario whose timeline is the history, and which recorded execution each commit is. */
export type ReplayPlan = {
  scenario: Scenario;
  /** Per pipeline, the recorded executions in the order their commit steps start world executions. */
  replayed: Map<string, RecordedExecution[]>;
  /** Recorded executions the world does not run, and why (rollbacks a person started, ones that never reached Dev). */
  notReplayed: { execution: RecordedExecution; why: string }[];
  /** How the replay differs from AWS, once for the whole history. */
  notes: string[];
};

/** Source and Build are not the guard's business: each takes one minute in the replay. */
const BEFORE_DEV_MINUTES = 2;
const DEFAULT_DEV_MINUTES = 5;
const DEFAULT_PROD_MINUTES = 5;

/**
 * Builds the world from the history: each execution succeeds (or fails) in Dev when it really did, the gate is
 * answered when and by whom it really was, every selected alarm changes state when it really did. The guard runs in
 * observe mode, so the world follows what people did and the guard's decisions are what it would have done.
 */
export function historyToScenario(history: History, stage: StageConfig): ReplayPlan {
  const config = stage.config;
  const start = Math.floor(Date.parse(history.from) / 60_000) * 60_000;
  const at = (d: Date) => (d.getTime() - start) / 60_000;
  const timeline: { at: number; step: Step }[] = [];
  const replayed = new Map<string, RecordedExecution[]>();
  const notReplayed: ReplayPlan['notReplayed'] = [];
  const notes = [
    `replayed in observe mode over ${history.from} … ${history.to}: the world follows what people did`,
  ];
  const pipelines: NonNullable<Scenario['world']['pipelines']> = [];

  for (const recorded of history.pipelines) {
    const guarded = config.pipelines.find((p) => p.name === recorded.name);
    if (!guarded) {
      notes.push(`pipeline ${recorded.name}: not guarded by ${stage.origin}, not replayed`);
      continue;
    }
    const replay = replayPipeline(recorded, guarded, at);
    pipelines.push(replay.spec);
    timeline.push(...replay.steps);
    replayed.set(recorded.name, replay.order);
    notReplayed.push(...replay.notReplayed);
    notes.push(replay.note);
  }
  for (const alarm of history.alarms) timeline.push(...alarmSteps(alarm, at));

  // A stable sort (and runScenario's too): at one instant, steps keep the order pushed (a version change before its
  // commit), so the world starts executions in the order of `replayed`, which the comparison's mapping relies on.
  timeline.sort((a, b) => a.at - b.at);
  const steps = timeline.map(({ at: minute, step }) => ({ ...step, at: Math.max(0, minute) }) as Step);
  const last = steps.at(-1)?.at ?? 0;
  const end = (Date.parse(history.to) - start) / 60_000;
  const scenario: Scenario = {
    name: `backtest ${history.stage ?? stage.origin} ${history.from.slice(0, 10)} … ${history.to.slice(0, 10)}`,
    start: new Date(start).toISOString(),
    scheduled: false,
    runFor: Math.max(end - last, 1 / 60),
    config: replayConfig(stage, notes),
    world: {
      pipelines,
      calendars: openCalendars(config, notes),
      accounts: [],
      alarms: history.alarms.map((a) => ({
        name: a.name,
        state: initialState(a),
        ...(a.tags ? { tags: a.tags } : {}),
        ...(a.type === 'CompositeAlarm' ? { composite: true, kind: 'composite' as const } : {}),
      })),
      ecs: tileServices(config),
      codeDeployments: [],
    },
    timeline: steps.length ? steps : [{ at: 0 }],
    expect: [],
  };
  return { scenario, replayed, notReplayed, notes };
}

type PipelineReplay = {
  spec: NonNullable<Scenario['world']['pipelines']>[number];
  steps: { at: number; step: Step }[];
  order: RecordedExecution[];
  notReplayed: ReplayPlan['notReplayed'];
  note: string;
};

/** One pipeline: its world (stage durations from the history) and a commit and a gate answer per execution. */
function replayPipeline(
  recorded: HistoryPipeline,
  guarded: GuardedPipeline,
  at: (d: Date) => number,
): PipelineReplay {
  const executions = readExecutions(recorded, guarded);
  const { devMinutes, prodMinutes } = stageMinutes(executions);
  const replay: PipelineReplay = {
    spec: {
      name: recorded.name,
      tokenLagSeconds: 0,
      version: executions.find((e) => e.pipelineVersion)?.pipelineVersion ?? recorded.pipeline?.version ?? 1,
      stages: [
        { name: 'Source', minutes: 1 },
        { name: 'Build', minutes: BEFORE_DEV_MINUTES - 1 },
        { name: guarded.devStage, minutes: devMinutes },
        { name: guarded.prodStage, minutes: prodMinutes, gate: guarded.gateAction },
      ],
    },
    steps: [],
    order: [],
    notReplayed: [],
    note:
      `pipeline ${recorded.name}: Dev takes ${devMinutes} min and Prod after its gate ${prodMinutes} min (the ` +
      'medians of the history); each Dev success or failure happens at its recorded time',
  };
  let version = replay.spec.version;
  for (const e of executions) {
    const why = whyNotReplayed(e, guarded.devStage);
    if (why) {
      replay.notReplayed.push({ execution: e, why });
      continue;
    }
    const startAt = at((e.devSucceededAt ?? e.devFailedAt)!) - devMinutes - BEFORE_DEV_MINUTES;
    if (e.pipelineVersion !== undefined && e.pipelineVersion !== version) {
      version = e.pipelineVersion;
      replay.steps.push({
        at: startAt,
        step: { at: 0, pipelineVersion: { pipeline: recorded.name, version } },
      });
    }
    const failIn = e.devFailedAt ? guarded.devStage : e.prodFailedAt ? guarded.prodStage : undefined;
    const commit = { id: e.commitId ?? e.id.slice(0, 8), message: e.commitMessage, pipeline: recorded.name };
    replay.steps.push({ at: startAt, step: { at: 0, commit: { ...commit, ...(failIn ? { failIn } : {}) } } });
    replay.order.push(e);
    if (e.gate?.at && e.gate.status !== 'InProgress') {
      const answer =
        e.gate.status === 'Succeeded' ? { approve: guarded.gateAction } : { reject: guarded.gateAction };
      const by = e.gate.by ?? 'a person (not recorded)';
      replay.steps.push({
        at: at(e.gate.at),
        step: { at: 0, console: { pipeline: recorded.name, by, ...answer } },
      });
    }
  }
  return replay;
}

function stageMinutes(executions: RecordedExecution[]): { devMinutes: number; prodMinutes: number } {
  const dev = executions.flatMap((e) =>
    e.devStartedAt && e.devSucceededAt ? [minutes(e.devStartedAt, e.devSucceededAt)] : [],
  );
  const prod = executions.flatMap((e) => {
    const end = e.prodSucceededAt ?? e.prodFailedAt;
    return e.gate?.at && e.gate.status === 'Succeeded' && end ? [minutes(e.gate.at, end)] : [];
  });
  return { devMinutes: median(dev, DEFAULT_DEV_MINUTES), prodMinutes: median(prod, DEFAULT_PROD_MINUTES) };
}

function whyNotReplayed(e: RecordedExecution, devStage: string): string | undefined {
  if (e.rollback) {
    const target = e.rollbackTargetId ? ` to execution ${e.rollbackTargetId.slice(0, 8)}` : '';
    return `a rollback${target} (${e.trigger ?? 'trigger not recorded'}): not replayed, the guard decides its own`;
  }
  if (!e.devSucceededAt && !e.devFailedAt) {
    return e.status === 'InProgress'
      ? `still before ${devStage} when the history ends`
      : `never finished ${devStage} (${e.status}): nothing for the guard to decide`;
  }
  return undefined;
}

/** The stage's configuration, in observe mode and in one account (the history already holds Dev's alarms). */
function replayConfig(stage: StageConfig, notes: string[]): Record<string, unknown> {
  const { environments, ...rest } = stage.raw;
  if (environments) notes.push(`environments of ${stage.origin}: replayed in one account`);
  return { ...rest, mode: 'observe' };
}

/** The export has no Change Calendar history: each configured one is open throughout, and the output says so. */
function openCalendars(config: GuardConfig, notes: string[]): Scenario['world']['calendars'] {
  const names = config.freeze?.changeCalendars ?? [];
  if (names.length) notes.push(`Change Calendars ${names.join(', ')}: not in the history, replayed as open`);
  return names.map((name) => ({ name, closed: [] }));
}

function tileServices(config: GuardConfig): Scenario['world']['ecs'] {
  return config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) =>
      t.services.map((service) => {
        const codeDeploy = t.codeDeploy?.[service];
        return {
          cluster: t.cluster,
          service,
          controller: codeDeploy ? 'CODE_DEPLOY' : 'ECS',
          minutes: 4,
          outcome: 'complete' as const,
          ...(codeDeploy ? { codeDeploy } : {}),
        };
      }),
    ),
  );
}

const minutes = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

function median(values: number[], fallback: number): number {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (positive.length === 0) return fallback;
  return Math.round(positive[Math.floor(positive.length / 2)]! * 60) / 60;
}
