import { stringify } from 'yaml';
import { runScenario, type RunOptions, type ScenarioRun } from './run-scenario';
import type { Scenario } from './scenario';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './world/faults';

/** One AWS call of a clean run: `index` is its 1-based position among every call of the run. */
export type CallSite = { index: number; caller: string; call: string; write: boolean };

/** A scenario with one fault added, and what it targets. */
export type FaultCase = { label: string; site: CallSite; fault: FaultSpec; scenario: Scenario };

export type FaultedRun = FaultCase & { run: ScenarioRun };

export type SweepOptions = {
  kinds?: readonly FaultKind[];
  /** Also each kind on every call of the site's function and operation (`times: always`); default true. */
  always?: boolean;
  /** Only the sites this keeps (e.g. writes only). */
  sites?: (site: CallSite) => boolean;
  run?: RunOptions;
};

/** The AWS calls on a run's timeline, in order. */
export function listCalls(run: ScenarioRun): CallSite[] {
  return run.timeline
    .flatMap((t) => (t.kind === 'aws-call' ? [t] : []))
    .map((t, i) => ({
      index: i + 1,
      caller: t.caller,
      call: `${t.service}.${t.operation}`,
      write: t.write,
    }));
}

/** The scenario with a `fault` step first, at time 0 (or before its first step), so it counts every call. */
export function withFault(scenario: Scenario, fault: FaultSpec): Scenario {
  const at = Math.min(0, ...scenario.timeline.map((s) => s.at));
  return {
    ...structuredClone(scenario),
    name: `${scenario.name} [fault ${describe(fault)}]`,
    timeline: [{ at, fault }, ...structuredClone(scenario.timeline)],
  };
}

/**
 * Every single-fault variant of a scenario over the calls of its clean run: each kind on the k-th call of
 * the whole run (`call: '*', nth: k, times: 1`), then, once per function and operation, each kind on every
 * such call (`times: always`).
 */
export function* faultCases(
  scenario: Scenario,
  calls: readonly CallSite[],
  options: SweepOptions = {},
): Generator<FaultCase> {
  const kinds = options.kinds ?? FAULT_KINDS;
  const sites = calls.filter(options.sites ?? (() => true));
  for (const site of sites) {
    for (const error of kinds) {
      const fault: FaultSpec = { call: '*', nth: site.index, error, times: 1 };
      yield { label: describe(fault), site, fault, scenario: withFault(scenario, fault) };
    }
  }
  if (options.always === false) return;
  const seen = new Set<string>();
  for (const site of sites) {
    const key = `${site.caller} ${site.call}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const error of kinds) {
      const fault: FaultSpec = { call: site.call, function: site.caller, error, times: 'always', nth: 1 };
      yield { label: describe(fault), site, fault, scenario: withFault(scenario, fault) };
    }
  }
}

/**
 * Runs the scenario once clean, then each fault case, one at a time as the caller asks for them (an async
 * iterator: check each run's invariants, stop at the first counterexample).
 */
export async function sweepFaults(
  scenario: Scenario,
  options: SweepOptions = {},
): Promise<{ clean: ScenarioRun; calls: CallSite[]; runs: AsyncGenerator<FaultedRun> }> {
  const clean = await runScenario(scenario, options.run);
  const calls = listCalls(clean);
  async function* runs(): AsyncGenerator<FaultedRun> {
    for (const c of faultCases(scenario, calls, options)) {
      yield { ...c, run: await runScenario(c.scenario, options.run) };
    }
  }
  return { clean, calls, runs: runs() };
}

/** A scenario as YAML that `npm run simulate` runs as it is (a counterexample to keep or shrink). */
export function scenarioToYaml(scenario: Scenario): string {
  return stringify(scenario, { lineWidth: 0, aliasDuplicateObjects: false });
}

function describe(f: FaultSpec): string {
  const times = f.times === 'always' ? 'always' : `#${f.nth}`;
  return `${f.error} ${f.call}${f.function ? ` by ${f.function}` : ''} ${times}`;
}
