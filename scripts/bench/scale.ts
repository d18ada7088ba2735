/**
 * AWS calls per reaction through the simulator (the real handlers over the in-memory AWS): the default scenarios,
 * and three at scale — 200 selected alarms with 20 that move during the bake, 20 pipelines with the reconciler,
 * 10 tile services.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runScenario, type ScenarioRun } from '../../simulator/run-scenario';
import { loadScenario, scenarioSchema, type Scenario } from '../../simulator/scenario';

const ROOT = resolve(import.meta.dirname, '../..');

export type CallFigures = {
  scenario: string;
  /** Per function: invocations, and the most AWS calls (reads/writes) one invocation made; decide-and-act only. */
  functions: {
    fn: string;
    invocations: number;
    mostCalls: number;
    mostReads: number;
    mostWrites: number;
    /** The most sequential round trips one invocation needed (calls sent together count once). */
    mostRoundTrips: number;
  }[];
  wallMs: number;
};

function figures(name: string, run: ScenarioRun, wallMs: number): CallFigures {
  const byFn = new Map<string, CallFigures['functions'][number]>();
  for (const t of run.timeline) {
    if (t.kind !== 'invocation') continue;
    const f = byFn.get(t.function) ?? {
      fn: t.function,
      invocations: 0,
      mostCalls: 0,
      mostReads: 0,
      mostWrites: 0,
      mostRoundTrips: 0,
    };
    f.invocations++;
    f.mostCalls = Math.max(f.mostCalls, t.calls);
    f.mostReads = Math.max(f.mostReads, t.reads);
    f.mostWrites = Math.max(f.mostWrites, t.writes);
    f.mostRoundTrips = Math.max(f.mostRoundTrips, t.roundTrips);
    byFn.set(t.function, f);
  }
  const unmet = run.results.filter((r) => !r.met).length;
  return {
    scenario: unmet ? `${name} (${unmet} expectation(s) unmet)` : name,
    functions: [...byFn.values()].sort((a, b) => a.fn.localeCompare(b.fn)),
    wallMs,
  };
}

async function timed(name: string, scenario: Scenario): Promise<CallFigures> {
  const started = performance.now();
  const run = await runScenario(scenario);
  return figures(name, run, performance.now() - started);
}

export async function defaultScenarioCalls(): Promise<CallFigures[]> {
  const dir = join(ROOT, 'simulator/scenarios/default');
  const out: CallFigures[] = [];
  for (const file of readdirSync(dir).sort()) out.push(await timed(file, loadScenario(join(dir, file))));
  return out;
}

const ALARMS = 200;
const MOVING = 20;

/** 200 selected alarms; 20 go INSUFFICIENT_DATA and back during the bake (ignored, but their history is read). */
function manyAlarms(): Scenario {
  const names = Array.from({ length: ALARMS }, (_, i) => `leadout-dev-a${String(i).padStart(3, '0')}`);
  return scenarioSchema.parse({
    name: `${ALARMS} alarms, ${MOVING} moving during the bake`,
    config: { insufficientData: 'ignore' },
    world: { alarms: names.map((name) => ({ name, state: 'OK' })) },
    timeline: [
      { at: 0, commit: { id: 'a1b2c3d', message: 'many alarms' } },
      ...names.slice(0, MOVING).flatMap((name, i) => [
        { at: 20 + i, alarm: { name, state: 'INSUFFICIENT_DATA' } },
        { at: 21 + i, alarm: { name, state: 'OK' } },
      ]),
    ],
    runFor: 120,
  });
}

const PIPELINES = 20;

/** 20 guarded pipelines, one release each, the reconciler every reconcileMinutes. */
function manyPipelines(): Scenario {
  const names = Array.from({ length: PIPELINES }, (_, i) => `maps-${String(i).padStart(2, '0')}`);
  return scenarioSchema.parse({
    name: `${PIPELINES} pipelines with the reconciler`,
    scheduled: ['reconcile'],
    config: { pipelines: names.map((name) => ({ name, devAlarms: { namePrefix: `${name}-dev-` } })) },
    world: {
      pipelines: names.map((name) => ({ name })),
      alarms: names.map((name) => ({ name: `${name}-dev-5xx`, state: 'OK' })),
    },
    timeline: names.map((pipeline, i) => ({
      at: i,
      commit: { id: `c${String(i).padStart(6, '0')}`, message: 'release', pipeline },
    })),
    runFor: 120,
  });
}

const TILES = 10;

/** One release into Prod that restarts 10 tile services. */
function manyTileServices(): Scenario {
  const services = Array.from({ length: TILES }, (_, i) => `tile-${i}`);
  return scenarioSchema.parse({
    name: `${TILES} tile services`,
    config: {
      pipelines: [
        {
          name: 'leadout',
          devAlarms: { namePrefix: 'leadout-dev-' },
          tileServices: [{ cluster: 'leadout-prod', services }],
        },
      ],
    },
    world: {
      alarms: [{ name: 'leadout-dev-api-5xx', state: 'OK' }],
      ecs: services.map((service) => ({ cluster: 'leadout-prod', service, controller: 'ECS', minutes: 4 })),
    },
    timeline: [{ at: 0, commit: { id: 'a1b2c3d', message: 'tiles' } }],
    runFor: 120,
  });
}

export async function scaleCalls(): Promise<CallFigures[]> {
  return [
    await timed('scale: 200 alarms', manyAlarms()),
    await timed('scale: 20 pipelines', manyPipelines()),
    await timed('scale: 10 tile services', manyTileServices()),
  ];
}
