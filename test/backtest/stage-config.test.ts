import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../simulator/run-scenario';
import { loadScenario } from '../../simulator/scenario';
import { loadConfig, loadStage } from '../../simulator/stage-config';
import { fitScenarioToStage } from '../../simulator/stage-fit';

const defaults = join(import.meta.dirname, '../../simulator/scenarios/default');
const mapsStage = join(import.meta.dirname, '../fixtures/backtest/stage-maps.yml');

describe('simulate --stage / --config', () => {
  it('validates a stage exactly as sls package does (the same StageConfigError)', () => {
    expect(loadStage('example').config.pipelines[0]?.name).toBe('leadout');
    expect(() => loadStage('nope')).toThrow(/config\/stages\/nope\.yml does not exist/);
    expect(() => loadConfig(join(import.meta.dirname, '../fixtures/backtest/missing.yml'))).toThrow(
      /does not exist/,
    );
  });

  it('names the bad key of a configuration file', () => {
    const bad = join(import.meta.dirname, '../fixtures/backtest/stage-bad.yml');
    expect(() => loadConfig(bad)).toThrow(/pipelines\.0\.gateAction: letters, digits/);
  });

  it('rehearses every default scenario with the example stage, each expectation met', async () => {
    const stage = loadStage('example');
    for (const file of ['1-clean-promotion.yml', '3-alarm-during-bake.yml', '5-prod-failure-rollback.yml']) {
      // Prepare
      const { scenario, adapted } = fitScenarioToStage(loadScenario(join(defaults, file)), stage);
      expect(adapted[0]).toMatch(/^mode: config\/stages\/example\.yml says observe; rehearsed in enforce/);

      // Act
      const run = await runScenario(scenario);

      // Assess
      expect(run.results.filter((r) => !r.met)).toEqual([]);
    }
  });

  it("makes the stage's pipeline, alarms and bake minutes the scenario's, and says what it adapted", async () => {
    // Prepare
    const stage = loadConfig(mapsStage);
    const { scenario, adapted } = fitScenarioToStage(
      loadScenario(join(defaults, '3-alarm-during-bake.yml')),
      stage,
    );

    // Act
    const run = await runScenario(scenario);

    // Assess
    expect(adapted).toEqual([
      `mode: ${mapsStage} says observe; rehearsed in enforce, which the scenario's expectations describe`,
      'pipeline leadout → maps-release',
      'alarm leadout-dev-api-5xx → maps-dev-api-5xx (selected by prefix maps-dev-)',
      'alarm leadout-dev-latency-p99 → maps-dev-latency-p99 (selected by prefix maps-dev-)',
    ]);
    expect(run.results.filter((r) => !r.met)).toEqual([]);
    const disable = run.timeline.find(
      (e) => e.kind === 'aws-call' && e.operation === 'DisableStageTransition',
    );
    expect(disable).toMatchObject({
      params: {
        pipelineName: 'maps-release',
        reason: 'release-guard (dev alarm maps-dev-api-5xx in ALARM since 2026-11-27 09.30 UTC)',
      },
    });
  });

  it("bakes the stage's minutes: 45, not the simulator's 60", async () => {
    // Prepare
    const { scenario } = fitScenarioToStage(
      loadScenario(join(defaults, '1-clean-promotion.yml')),
      loadConfig(mapsStage),
    );

    // Act
    const run = await runScenario(scenario);

    // Assess
    const approved = run.timeline.find((e) => e.kind === 'emitted' && e.detailType === 'PromotionApproved');
    expect(approved?.at).toBe('+00:55:01');
  });
});
