import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGuardConfig } from '../../config/schema';

type Vars = {
  guardAlarms: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  slackWebhookParameterArn: unknown;
  triggers: Record<string, unknown>;
};

/** Every function serverless.yml deploys: the `function` key of each infra/<function>.yml. */
function deployedFunctions(): string[] {
  const dir = join(import.meta.dirname, '../../infra');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) =>
      Object.keys(
        (parse(readFileSync(join(dir, f), 'utf8'), { logLevel: 'error' }) as { function?: object })
          .function ?? {},
      ),
    )
    .sort();
}
const logicalId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}`;
const bridge = createRequire(import.meta.url)('../../config/serverless-vars.cjs') as {
  guardVars: (stage: string) => Vars;
  guardAlarms: (config: unknown, stage: string, events: Record<string, unknown>) => Vars['guardAlarms'];
  alertSubscriberWarning: (config: unknown, stage: string) => string | undefined;
};

describe('alarms for when the guard itself is unwell', () => {
  it('has an errors alarm, to the alerts topic, for every deployed function (scheduled ones too)', () => {
    const vars = bridge.guardVars('example');

    const alarms = Object.values(vars.guardAlarms.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );

    const functions = deployedFunctions();
    expect(functions).toEqual(expect.arrayContaining(['notify', 'metrics', 'reconcile', 'bakeTimerSweep']));
    expect(
      alarms
        .map((a) => a.Properties.Dimensions)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      functions
        .map((fn) => [{ Name: 'FunctionName', Value: { Ref: `${logicalId(fn)}LambdaFunction` } }])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: 'GuardAlertsTopic' }]);
  });

  it('counts the malformed events every function logs and drops', () => {
    const vars = bridge.guardVars('example');

    const filters = Object.values(vars.guardAlarms.Resources).filter(
      (r) => r.Type === 'AWS::Logs::MetricFilter',
    );

    expect(filters.map((f) => f.Properties.LogGroupName)).toEqual(
      expect.arrayContaining(deployedFunctions().map((fn) => ({ Ref: `${logicalId(fn)}LogGroup` }))),
    );
    expect(filters).toHaveLength(deployedFunctions().length);
    for (const f of filters) {
      expect(f.Properties.FilterPattern).toBe('{ $.invalidEvent IS TRUE }');
      expect(f.Properties.MetricTransformations).toEqual([
        expect.objectContaining({ MetricNamespace: 'LeadOut/ReleaseGuard', MetricName: 'InvalidEvents' }),
      ]);
    }
  });

  it.each(['example', 'dev'])('gives the alerts topic a subscriber in the shipped stage %s', (stage) => {
    const subscription = bridge.guardVars(stage).guardAlarms.Resources.GuardAlertsEmailSubscription;

    expect(subscription?.Properties).toMatchObject({
      Protocol: 'email',
      TopicArn: { Ref: 'GuardAlertsTopic' },
    });
  });

  it('warns at packaging, naming the stage and the key, when the alerts topic has no subscriber', () => {
    const warning = bridge.alertSubscriberWarning({}, 'sandbox');

    expect(warning).toMatch(
      /stage "sandbox" sets no alertEmail.*no subscriber.*config\/stages\/sandbox\.yml/,
    );
    expect(
      bridge.alertSubscriberWarning({ alertEmail: 'releases@leadout.example' }, 'sandbox'),
    ).toBeUndefined();
  });

  it('subscribes alertEmail to the topic only when it is configured', () => {
    expect(JSON.stringify(bridge.guardAlarms({}, 'example', { notify: [] }))).not.toContain(
      'AWS::SNS::Subscription',
    );

    const alarms = bridge.guardAlarms({ alertEmail: 'release-team@leadout.example' }, 'example', {
      notify: [],
    });

    expect(alarms.Resources.GuardAlertsEmailSubscription).toEqual({
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'GuardAlertsTopic' },
        Protocol: 'email',
        Endpoint: 'release-team@leadout.example',
      },
    });
  });

  it('scopes the notifier to the one SSM parameter of the stage', () => {
    expect(bridge.guardVars('example').slackWebhookParameterArn).toEqual({
      'Fn::Sub':
        'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/leadout/release-guard/slack-webhook',
    });
  });

  it('validates alertEmail as an e-mail address, naming the key', () => {
    const base = {
      slackWebhookParameter: '/x',
      pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'a' } }],
    };
    expect(parseGuardConfig({ ...base, alertEmail: 'release-team@leadout.example' }).alertEmail).toBe(
      'release-team@leadout.example',
    );
    expect(() => parseGuardConfig({ ...base, alertEmail: 'release-team' })).toThrow('alertEmail');
  });
});
