import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDecision } from '../../handlers/notify/messages';
import { loadDecision } from '../notify/decision-fixtures';

type Widget = { type: string; metricName?: string; properties: Record<string, unknown> };
type Vars = {
  environment: Record<string, unknown>;
  dashboard: {
    Resources: Record<
      string,
      { Type: string; Properties: { DashboardName: string; DashboardBody: unknown } }
    >;
    Outputs: Record<string, { Value: unknown }>;
  };
};
const require = createRequire(import.meta.url);
const bridge = require('../../config/serverless-vars.cjs') as {
  guardVars: (stage: string) => Vars;
  deployedFunctions: () => string[];
};
const { dashboardBody, dashboardUrl } = require('../../config/dashboard.cjs') as {
  dashboardBody: (input: unknown) => { widgets: Widget[] };
  dashboardUrl: (region: string, name: string) => string;
};

/** What the issue asks the dashboard to show, as the metric each widget reads. */
const ASKED = {
  'approvals per day': 'PromotionsApproved',
  'rejections by reason': 'PromotionsRejected',
  'blocks per day': 'PromotionsBlocked',
  'bake minutes': 'BakedMinutes',
  'alarm to block seconds (p50/max)': 'AlarmToBlockSeconds',
  'rollbacks by path': 'RollbacksStarted',
  'restores skipped': 'RollbacksSkipped',
  "restores' time to Prod": 'history:restoreToProdSeconds',
  'tile restart outcomes': 'TileRestarts',
  'tile restart durations': 'TileRestartSeconds',
  'overrides and holds': 'PersonCommands',
  'held executions': 'PromotionsHeld',
  'the gate answered in the console': 'GateAnsweredByPerson',
  'by person': 'history:who',
  'guard failures': 'GuardFailures',
  'invalid events': 'InvalidEvents',
  'DLQ depth': 'ApproximateNumberOfMessagesVisible',
  "the functions' errors": 'Errors',
} as const;

/** The metric names handlers/metrics really emits (count('X') and { name: 'X' } in measure-decision.ts). */
function emittedMetrics(): string[] {
  const source = readFileSync(
    join(import.meta.dirname, '../../handlers/metrics/measure-decision.ts'),
    'utf8',
  );
  return [...source.matchAll(/count\('(\w+)'\)|name: '(\w+)'/g)].map((m) => (m[1] ?? m[2])!);
}

const input = {
  name: 'leadout-release-guard-example',
  stage: 'example',
  pipelines: [{ name: 'leadout' }, { name: 'tiles' }],
  functionNames: ['leadout-release-guard-example-promote', 'leadout-release-guard-example-history'],
  deadLetterQueue: 'leadout-release-guard-example-target-dlq',
  historyLogGroup: '/aws/lambda/leadout-release-guard-example-history',
};

describe('the release-safety dashboard (config/dashboard.cjs)', () => {
  it('has exactly one widget per metric the issue asks for', () => {
    // Act
    const { widgets } = dashboardBody(input);

    // Assess
    const named = widgets.filter((w) => w.metricName).map((w) => w.metricName);
    expect(named.sort()).toEqual(Object.values(ASKED).sort());
  });

  it('reads only metrics the metrics function emits, in its namespace, per configured pipeline', () => {
    const { widgets } = dashboardBody(input);
    const emitted = emittedMetrics();
    const guardOwn = widgets.filter(
      (w) => w.type === 'metric' && JSON.stringify(w.properties).includes('LeadOut/ReleaseGuard} MetricName'),
    );

    expect(guardOwn.length).toBeGreaterThan(8);
    for (const w of guardOwn) {
      expect(emitted).toContain(w.metricName);
      const text = JSON.stringify(w.properties);
      expect(text).toContain(`MetricName=\\"${w.metricName}\\" pipeline=\\"leadout\\"`);
      expect(text).toContain(`pipeline=\\"tiles\\"`);
    }
  });

  it('graphs the errors of every deployed function and the DLQ depth of the stage', () => {
    const body = JSON.stringify(
      (
        bridge.guardVars('example').dashboard.Resources.ReleaseGuardDashboard!.Properties.DashboardBody as {
          'Fn::Sub': string;
        }
      )['Fn::Sub'],
    );

    for (const fn of bridge.deployedFunctions()) {
      expect(body).toContain(`\\"FunctionName\\",\\"leadout-release-guard-example-${fn}\\"`);
    }
    expect(body).toContain('leadout-release-guard-example-target-dlq');
  });

  it('is one CloudFormation dashboard whose body substitutes the region only, with its console URL as output', () => {
    const { dashboard } = bridge.guardVars('example');

    const resource = dashboard.Resources.ReleaseGuardDashboard!;
    expect(resource.Type).toBe('AWS::CloudWatch::Dashboard');
    const body = (resource.Properties.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const parsed = JSON.parse(body.replaceAll('${AWS::Region}', 'eu-west-1')) as { widgets: Widget[] };
    expect(parsed.widgets.every((w) => !('metricName' in w))).toBe(true);
    expect(dashboard.Outputs.ReleaseGuardDashboardUrl!.Value).toEqual({
      'Fn::Sub':
        'https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}' +
        '#dashboards/dashboard/leadout-release-guard-example',
    });
  });

  it('is linked from every Slack message, by the name the Lambdas get (DASHBOARD_NAME)', () => {
    // Prepare
    const { environment, dashboard } = bridge.guardVars('example');
    const name = environment.DASHBOARD_NAME as string;
    expect(name).toBe(dashboard.Resources.ReleaseGuardDashboard!.Properties.DashboardName);
    const event = loadDecision('promotion-blocked');

    // Act
    const message = JSON.stringify(renderDecision(event, { dashboardName: name }));

    // Assess
    expect(message).toContain(`<${dashboardUrl(event.region!, name)}|release dashboard>`);
    expect(JSON.stringify(renderDecision(event))).not.toContain('release dashboard');
  });
});
