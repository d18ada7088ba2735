import type { AlarmSelector, GuardConfig } from '../config/schema';
import type { Scenario } from './scenario';
import type { StageConfig } from './stage-config';

/** A scenario made to run on a stage's configuration, and what had to change in it to fit (one line each). */
export type FittedScenario = { scenario: Scenario; adapted: string[] };

/** The simulator's own pipeline and alarm prefix, which hand-written scenarios use. */
const SIM_PIPELINE = 'leadout';
const SIM_ALARM_PREFIX = 'leadout-dev-';

/**
 * The stage's configuration becomes the scenario's base (its own `config:` still overrides, key by key), and what
 * the scenario names is renamed to what the stage guards: the pipeline, its Dev/Prod stages and gate action, the
 * alarms (so that the stage's selector picks them) and the tile services (so that restarts find them).
 */
export function fitScenarioToStage(original: Scenario, stage: StageConfig): FittedScenario {
  const adapted: string[] = [];
  const ownsPipelines = 'pipelines' in original.config;
  let scenario: Scenario = { ...original, config: { ...stage.raw, ...original.config } };
  if (!('mode' in original.config) && stage.config.mode === 'observe') {
    scenario.config.mode = 'enforce';
    adapted.push(
      `mode: ${stage.origin} says observe; rehearsed in enforce, which the scenario's expectations describe`,
    );
  }
  if (ownsPipelines) {
    adapted.push(`pipelines: the scenario's own (its config overrides ${stage.origin})`);
    return { scenario, adapted };
  }
  const target = stage.config.pipelines[0]!;
  const renames = new Map<string, string>();
  if (target.name !== SIM_PIPELINE) {
    renames.set(SIM_PIPELINE, target.name);
    adapted.push(`pipeline ${SIM_PIPELINE} → ${target.name}`);
  }
  for (const alarm of original.world.alarms) {
    const name = alarmNameFor(alarm.name, target.devAlarms);
    if (name !== alarm.name) {
      renames.set(alarm.name, name);
      adapted.push(`alarm ${alarm.name} → ${name} (selected by ${describeSelector(target.devAlarms)})`);
    }
  }
  scenario = renameAll(scenario, renames);
  scenario = renameStages(scenario, stage.config, adapted);
  scenario.world = {
    ...scenario.world,
    alarms: scenario.world.alarms.map((a) =>
      target.devAlarms.tags ? { ...a, tags: { ...a.tags, ...target.devAlarms.tags } } : a,
    ),
    ecs: [...scenario.world.ecs, ...missingTileServices(scenario, stage.config, adapted)],
  };
  if (target.devAlarms.tags && original.world.alarms.length > 0) {
    adapted.push(`alarms tagged ${JSON.stringify(target.devAlarms.tags)} (the stage selects by tag)`);
  }
  return { scenario, adapted };
}

function alarmNameFor(name: string, selector: AlarmSelector): string {
  const prefix = selector.namePrefix;
  if (prefix === undefined || name.startsWith(prefix)) return name;
  const rest = name.startsWith(SIM_ALARM_PREFIX) ? name.slice(SIM_ALARM_PREFIX.length) : name;
  return `${prefix}${rest}`;
}

function describeSelector(selector: AlarmSelector): string {
  const parts = [
    ...(selector.namePrefix ? [`prefix ${selector.namePrefix}`] : []),
    ...(selector.tags ? [`tags ${JSON.stringify(selector.tags)}`] : []),
  ];
  return parts.join(' and ');
}

/** Pipeline and alarm names appear in steps, world and expectations (a transition reason quotes an alarm). */
function renameAll(scenario: Scenario, renames: Map<string, string>): Scenario {
  if (renames.size === 0) return scenario;
  const pattern = new RegExp(
    [...renames.keys()]
      .sort((a, b) => b.length - a.length)
      .map((k) => k.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
      .join('|'),
    'g',
  );
  const renamed = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(pattern, (m) => renames.get(m) ?? m)
      : Array.isArray(value)
        ? value.map(renamed)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v)]))
          : value;
  const { config, name, description, ...rest } = scenario;
  return { ...(renamed(rest) as typeof rest), config, name, ...(description ? { description } : {}) };
}

/** The stage's Dev/Prod stage and gate names where a scenario's steps name the simulator's defaults. */
function renameStages(scenario: Scenario, config: GuardConfig, adapted: string[]): Scenario {
  const p = config.pipelines[0]!;
  const stageName = (s: string) => (s === 'Prod' ? p.prodStage : s === 'Dev' ? p.devStage : s);
  const gate = (a: string | undefined) => (a === 'BakeGate' ? p.gateAction : a);
  if (p.prodStage === 'Prod' && p.devStage === 'Dev' && p.gateAction === 'BakeGate') return scenario;
  adapted.push(`stages Dev/Prod/BakeGate → ${p.devStage}/${p.prodStage}/${p.gateAction}`);
  const timeline = scenario.timeline.map((step) => {
    if ('transition' in step)
      return { ...step, transition: { ...step.transition, stage: stageName(step.transition.stage) } };
    if ('commit' in step && step.commit.failIn)
      return { ...step, commit: { ...step.commit, failIn: stageName(step.commit.failIn) } };
    if ('console' in step) {
      const c = step.console;
      return {
        ...step,
        console: {
          ...c,
          ...(c.approve ? { approve: gate(c.approve) } : {}),
          ...(c.reject ? { reject: gate(c.reject) } : {}),
        },
      };
    }
    return step;
  });
  return { ...scenario, timeline };
}

/** Tile services the stage restarts but the scenario's world lacks: added as healthy ECS services. */
function missingTileServices(
  scenario: Scenario,
  config: GuardConfig,
  adapted: string[],
): Scenario['world']['ecs'] {
  const present = new Set(scenario.world.ecs.map((s) => `${s.cluster}/${s.service}`));
  const added: Scenario['world']['ecs'] = [];
  for (const tiles of config.pipelines.flatMap((p) => p.tileServices)) {
    for (const service of tiles.services) {
      if (present.has(`${tiles.cluster}/${service}`)) continue;
      const codeDeploy = tiles.codeDeploy?.[service];
      added.push({
        cluster: tiles.cluster,
        service,
        controller: codeDeploy ? 'CODE_DEPLOY' : 'ECS',
        minutes: 4,
        outcome: 'complete',
        ...(codeDeploy ? { codeDeploy } : {}),
      });
      present.add(`${tiles.cluster}/${service}`);
    }
  }
  if (added.length > 0) {
    adapted.push(
      `tile services added to the world (healthy, 4 min restarts): ${added.map((s) => `${s.cluster}/${s.service}`).join(', ')}`,
    );
  }
  return added;
}
