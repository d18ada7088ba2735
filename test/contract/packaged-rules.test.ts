import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, inject, it } from 'vitest';
import { parseGuardConfig } from '../../config/schema';
import { functionRules } from '../../events/rules';
import { decisionContracts } from '../../events/guard/catalog';
import { GUARD_SOURCE } from '../../events/guard/guard-event';
import { matchesPattern } from '../../simulator/event-pattern';
import { runScenario } from '../../simulator/run-scenario';
import { loadScenario } from '../../simulator/scenario';
import { checkPatternOnMoto, type ProbeEvent } from '../support/moto';

const repo = join(import.meta.dirname, '../..');
const config = parseGuardConfig(parse(readFileSync(join(repo, 'config/stages/example.yml'), 'utf8')));

/** Real-shaped events: everything the simulated pipeline and the guard put on a bus in two scenarios. */
async function probeEvents(): Promise<ProbeEvent[]> {
  const events: ProbeEvent[] = [];
  for (const file of [
    'default/1-clean-promotion.yml',
    'default/3-alarm-during-bake.yml',
    'default/6-tile-restart.yml',
    'more/tile-restart-one-fails.yml',
    'more/tile-restart-blue-green.yml',
    'more/alarm-shapes.yml',
    'default/5-prod-failure-rollback.yml',
    'more/rollback-build-failure.yml',
    'more/codedeploy-failure.yml',
    'people/hold-until-expires.yml',
  ]) {
    const run = await runScenario(loadScenario(join(repo, 'simulator/scenarios', file)));
    for (const t of run.timeline) {
      if (t.kind !== 'event') continue;
      const e = findEvent(run, t.id);
      if (e) events.push(e);
    }
  }
  const seen = new Set<string>();
  return events.filter((e) => {
    const d = e.detail;
    const key = JSON.stringify([
      e['detail-type'],
      d.stage,
      d.action,
      d.state,
      (d.state as { value?: string })?.value,
      d.eventName,
      d.reason,
      d.deploymentGroup,
      d.command,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function findEvent(run: Awaited<ReturnType<typeof runScenario>>, id: string): ProbeEvent | undefined {
  const e = run.delivered.find((d) => d.id === id);
  return e && { source: e.source, 'detail-type': e['detail-type'], detail: e.detail, resources: e.resources };
}

/** The decisions the notifier, the metrics and the history take, by name (not through the pattern under test). */
const decisionTypes = new Set<string>(decisionContracts.map((c) => c.detailType));
const deploying = (e: ProbeEvent) => e.detail.stage === 'Dev' || e.detail.stage === 'Prod';

const tileGroups = new Set(
  config.pipelines.flatMap((p) =>
    p.tileServices.flatMap((t) =>
      Object.values(t.codeDeploy ?? {}).map((g) => `${g.application}/${g.deploymentGroup}`),
    ),
  ),
);

/** What each packaged rule must select, said independently of the patterns. */
const intended: Record<string, (e: ProbeEvent) => boolean> = {
  rollback: (e) =>
    (e['detail-type'] === 'CodePipeline Pipeline Execution State Change' &&
      ['FAILED', 'SUPERSEDED', 'CANCELED', 'STOPPED'].includes(String(e.detail.state))) ||
    (e['detail-type'] === 'CodePipeline Stage Execution State Change' &&
      deploying(e) &&
      e.detail.state === 'FAILED') ||
    (e['detail-type'] === 'CodePipeline Action Execution State Change' &&
      deploying(e) &&
      e.detail.state === 'FAILED'),
  codedeployReport: (e) =>
    e['detail-type'] === 'CodeDeploy Deployment State-change Notification' &&
    e.detail.application === 'leadout-api' &&
    e.detail.deploymentGroup === 'leadout-api-prod' &&
    e.detail.state === 'FAILURE',
  bakeStart: (e) =>
    e['detail-type'] === 'CodePipeline Stage Execution State Change' &&
    e.detail.stage === 'Dev' &&
    e.detail.state === 'SUCCEEDED',
  promote: (e) =>
    e['detail-type'] === 'BakeTimerFired' ||
    // The last hold ended with an execution waiting at the gate.
    (e['detail-type'] === 'PersonCommand' &&
      e.detail.command === 'release-hold' &&
      typeof e.detail.waitingExecutionId === 'string') ||
    // The gate's approval: STARTED is decided, SUCCEEDED / FAILED recorded when a person answered it.
    (e['detail-type'] === 'CodePipeline Action Execution State Change' &&
      e.detail.action === 'BakeGate' &&
      ['STARTED', 'SUCCEEDED', 'FAILED'].includes(String(e.detail.state))),
  tileRestart: (e) =>
    e['detail-type'] === 'CodePipeline Stage Execution State Change' &&
    e.detail.stage === 'Prod' &&
    e.detail.state === 'SUCCEEDED',
  tileFollow: (e) =>
    (e['detail-type'] === 'ECS Deployment State Change' &&
      (e.resources ?? []).some((r) => /:service\/leadout-prod\/tile-(server|worker)$/.test(r))) ||
    // Only the deployment groups of blue/green tile services (a tile restart there is a CodeDeploy deployment).
    (e['detail-type'] === 'CodeDeploy Deployment State-change Notification' &&
      tileGroups.has(`${String(e.detail.application)}/${String(e.detail.deploymentGroup)}`) &&
      ['SUCCESS', 'FAILURE', 'STOP'].includes(String(e.detail.state))) ||
    e['detail-type'] === 'TileRestartStarted' ||
    e['detail-type'] === 'TileRestartTimerFired',
  notify: (e) => e.source === GUARD_SOURCE && decisionTypes.has(e['detail-type']),
  metrics: (e) => e.source === GUARD_SOURCE && decisionTypes.has(e['detail-type']),
  history: (e) => e.source === GUARD_SOURCE && decisionTypes.has(e['detail-type']),
  alarmGate: (e) =>
    (e['detail-type'] === 'CloudWatch Alarm State Change' ||
      e['detail-type'] === 'CloudWatch Alarm Contributor State Change') &&
    String(e.detail.alarmName).startsWith('leadout-dev-'),
  bakeTimerSweep: (e) => e['detail-type'] === 'PromotionBlocked',
  command: (e) => e['detail-type'] === 'HoldTimerFired',
};

describe('packaged EventBridge rules on an emulated AWS matcher (moto)', () => {
  it('select exactly the intended events, on moto and in the simulator', async () => {
    // Prepare
    const endpoint = inject('motoEndpoint');
    const events = await probeEvents();
    expect(events.length).toBeGreaterThan(10);

    // Act: every rule on a bus and queue of its own, side by side (each check ends with a 1 s wait for stragglers,
    // which in series was most of this test's time).
    const packaged = Object.entries(functionRules(config));
    const onMoto = await Promise.all(
      packaged.map(([, rules]) =>
        Promise.all(rules.map((rule) => checkPatternOnMoto(endpoint, rule.pattern, events))),
      ),
    );
    for (const [index, [fn, rules]] of packaged.entries()) {
      const want = events.map((e) => intended[fn]!(e));
      const selected = new Array<boolean>(events.length).fill(false);
      const simulated = new Array<boolean>(events.length).fill(false);
      for (const [r, rule] of rules.entries()) {
        onMoto[index]![r]!.forEach((hit, i) => (selected[i] ||= hit));
        events.forEach((e, i) => (simulated[i] ||= matchesPattern(rule.pattern, e)));
      }
      // Assess
      expect({ fn, selected }).toEqual({ fn, selected: want });
      expect({ fn, simulated }).toEqual({ fn, simulated: want });
      expect(want.filter(Boolean).length).toBeGreaterThan(0);
    }
    // Moto's EventBridge with every packaged rule: slow on a loaded 2-core machine, not a budget.
  }, 180_000);
});
