import type { ScenarioRun } from '../run-scenario';
import type { TimelineEntry } from '../world/timeline';

/** Minutes since the scenario's start, as the timeline stamps them (`+01:05`, `+00:10:30`, `-00:05`). */
export function minutesOf(at: string): number {
  const m = /^([+-])(\d+):(\d{2})(?::(\d{2}))?$/.exec(at);
  if (!m) return 0;
  const value = Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60;
  return m[1] === '-' ? -value : value;
}

export type Span = { from: number; to: number; label: string; open?: boolean };
export type StageSpan = Span & { stage: string; state: string };
export type Lane = {
  pipeline: string;
  executionId: string;
  commitId?: string;
  stages: StageSpan[];
  bake?: Span;
  gate?: Span & { state: string };
};
export type Marker = { at: number; lane?: string; title: string; error?: boolean };
export type Picture = {
  name: string;
  description?: string;
  end: number;
  lanes: Lane[];
  alarms: Span[];
  holds: Span[];
  decisions: (Marker & { reaction: string; kind: string })[];
  writes: (Marker & { call: string; world: boolean })[];
  slack: { at: number; text: string }[];
  expectations: { text: string; met: boolean; actual: string }[];
};

/** Writes that change the world (not the guard's own ledger, bus or Slack bookkeeping). */
const WORLD_SERVICES = new Set(['codepipeline', 'ecs', 'codedeploy', 'scheduler', 'cloudwatch', 'ssm']);
const ENDS = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'STOPPED', 'SUPERSEDED', 'ABANDONED']);

type Detail = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** What a picture of one rehearsal shows, read from the run's timeline and the events it delivered. */
export function pictureOf(run: ScenarioRun): Picture {
  const details = new Map(run.delivered.map((e) => [e.id, e] as const));
  const lanes = new Map<string, Lane>();
  const alarms: Span[] = [];
  const openAlarms = new Map<string, Span>();
  const holds: Span[] = [];
  const picture: Picture = {
    name: run.scenario.name,
    ...(run.scenario.description ? { description: run.scenario.description.trim() } : {}),
    end: Math.max(1, ...run.timeline.map((t) => minutesOf(t.at))),
    lanes: [],
    alarms,
    holds,
    decisions: [],
    writes: [],
    slack: [],
    expectations: run.results.map((r) => ({
      text: JSON.stringify(r.expectation),
      met: r.met,
      actual: r.actual,
    })),
  };
  const triggeredBy = new Map<string, string>();
  const laneOrTrigger = (lane: string | undefined) => (lane ? { lane } : {});
  const laneOf = (pipeline: string, executionId: string) => {
    let lane = lanes.get(executionId);
    if (!lane) lanes.set(executionId, (lane = { pipeline, executionId, stages: [] }));
    return lane;
  };
  for (const t of run.timeline) {
    const at = minutesOf(t.at);
    if (t.kind === 'event') {
      const event = details.get(t.id);
      if (event) pipelineEvent(laneOf, event['detail-type'], event.detail, at);
      // What a function decides next is about this event's execution, unless the decision names another.
      const about = event && laneRef(lanes, event.detail).lane;
      for (const fn of t.delivered) {
        if (about) triggeredBy.set(fn, about);
        else triggeredBy.delete(fn);
      }
    } else if (t.kind === 'world') {
      const alarm = /^alarm (\S+) → (\w+)/.exec(t.summary);
      if (alarm) alarmChange(alarms, openAlarms, alarm[1]!, alarm[2]!, at);
    } else if (t.kind === 'emitted') {
      emitted(t, at, laneOf, holds, (iso) => (Date.parse(iso) - run.world.start.getTime()) / 60_000);
    } else if (t.kind === 'decision') {
      const kind = str(t.decision.kind) ?? 'decision';
      const title = `${t.at} ${t.reaction}: ${kind}\n${JSON.stringify(t.decision, null, 1)}`;
      const lane = laneRef(lanes, t.decision).lane ?? triggeredBy.get(t.reaction);
      picture.decisions.push({ at, reaction: t.reaction, kind, title, ...(lane ? { lane } : {}) });
    } else if (t.kind === 'aws-call' && t.write) {
      const call = `${t.service}.${t.operation}`;
      const title = `${t.at} ${t.caller}: ${call}${t.error ? ` ✗ ${t.error}` : ''}\n${JSON.stringify(t.params, null, 1)}`;
      picture.writes.push({
        at,
        call,
        title,
        world: WORLD_SERVICES.has(t.service),
        ...(t.error ? { error: true } : {}),
        ...laneOrTrigger(laneRef(lanes, t.params).lane ?? triggeredBy.get(t.caller)),
      });
    } else if (t.kind === 'slack') {
      picture.slack.push({ at, text: t.text });
    }
  }
  for (const span of openAlarms.values()) span.to = picture.end;
  picture.lanes = [...lanes.values()];
  for (const lane of picture.lanes) {
    for (const s of lane.stages) if (s.open) s.to = picture.end;
    if (lane.gate?.open) lane.gate.to = picture.end;
  }
  for (const h of holds) if (h.open) h.to = Math.max(h.from, picture.end);
  return picture;
}

type LaneOf = (pipeline: string, executionId: string) => Lane;

/** Stage and gate intervals of each execution, from CodePipeline's state-change events. */
function pipelineEvent(laneOf: LaneOf, detailType: string, detail: Detail, at: number) {
  const pipeline = str(detail.pipeline);
  const executionId = str(detail['execution-id']);
  const state = str(detail.state) ?? '';
  if (!pipeline || !executionId || !detailType.startsWith('CodePipeline')) return;
  const lane = laneOf(pipeline, executionId);
  const stage = str(detail.stage);
  if (detailType === 'CodePipeline Stage Execution State Change' && stage) {
    const open = lane.stages.find((s) => s.stage === stage && s.open);
    if (state === 'STARTED' || state === 'RESUMED') {
      if (!open) lane.stages.push({ stage, state, from: at, to: at, label: stage, open: true });
    } else if (ENDS.has(state) && open) {
      Object.assign(open, { to: at, state, label: `${stage} ${state}`, open: false });
    }
  } else if (detailType === 'CodePipeline Action Execution State Change') {
    const category = str((detail.type as Detail | undefined)?.category);
    if (category !== 'Approval') return;
    if (state === 'STARTED')
      lane.gate = { from: at, to: at, label: `waiting at ${str(detail.action)}`, state, open: true };
    else if (lane.gate?.open) Object.assign(lane.gate, { to: at, state, open: false });
  }
}

function alarmChange(alarms: Span[], open: Map<string, Span>, name: string, state: string, at: number) {
  const current = open.get(name);
  if (state === 'ALARM' && !current) {
    const span = { from: at, to: at, label: `${name} in ALARM`, open: true };
    alarms.push(span);
    open.set(name, span);
  } else if (state !== 'ALARM' && current) {
    Object.assign(current, { to: at, open: false });
    open.delete(name);
  }
}

/** Bakes (BakeStarted), holds placed and ended (PersonCommand), freezes met at the gate (PromotionHeld). */
function emitted(
  t: Extract<TimelineEntry, { kind: 'emitted' }>,
  at: number,
  laneOf: LaneOf,
  holds: Span[],
  minutesAt: (iso: string) => number,
) {
  const d = t.detail;
  const until = (iso: unknown) =>
    str(iso) ? { to: minutesAt(str(iso)!), open: false } : { to: at, open: true };
  if (t.detailType === 'BakeStarted' && str(d.executionId) && str(d.pipeline)) {
    const lane = laneOf(str(d.pipeline)!, str(d.executionId)!);
    if (str(d.commitId)) lane.commitId = str(d.commitId);
    const minutes = typeof d.bakeMinutes === 'number' ? d.bakeMinutes : 0;
    if (!(d.restore as Detail | undefined)?.passesGateUnbaked)
      lane.bake = { from: at, to: at + minutes, label: `bake ${minutes} min` };
  } else if (t.detailType === 'PersonCommand') {
    const command = str(d.command);
    const placed = (d.holds as Detail[] | undefined) ?? [];
    if (command === 'hold') {
      for (const h of placed)
        holds.push({ from: at, label: `hold by ${str(h.by)}: ${str(h.reason)}`, ...until(h.until) });
    } else if (command === 'release-hold' || d.outcome === 'expired') {
      for (const h of holds)
        if (h.label.startsWith('hold') && (h.open || h.to > at))
          Object.assign(h, { to: Math.min(h.to, at), open: false });
    }
  } else if (t.detailType === 'PromotionHeld') {
    const freeze = d.freeze as { reasons?: string[]; until?: string } | undefined;
    if (freeze)
      holds.push({ from: at, label: `frozen: ${(freeze.reasons ?? []).join('; ')}`, ...until(freeze.until) });
  }
}

/** The lane a decision or call is about: the first execution id of a lane that its facts name. */
function laneRef(lanes: Map<string, Lane>, facts: unknown): { lane?: string } {
  const text = JSON.stringify(facts) ?? '';
  let best: { lane: string; index: number } | undefined;
  for (const id of lanes.keys()) {
    const index = text.indexOf(id);
    if (index >= 0 && (!best || index < best.index)) best = { lane: id, index };
  }
  return best ? { lane: best.lane } : {};
}
