import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseGuardConfig } from '../../config/schema';

type Vars = {
  guardAlarms: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  slackWebhookParameterArn: unknown;
  events: Record<string, unknown>;
};
const bridge = createRequire(import.meta.url)('../../config/serverless-vars.cjs') as {
  guardVars: (stage: string) => Vars;
  guardAlarms: (config: unknown, stage: string, events: Record<string, unknown>) => Vars['guardAlarms'];
};

describe('alarms for when the guard itself is unwell', () => {
  it('has an errors alarm, to the alerts topic, for every function with rules', () => {
    const vars = bridge.guardVars('example');

    const alarms = Object.values(vars.guardAlarms.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );

    expect(alarms.map((a) => a.Properties.Dimensions)).toEqual(
      Object.keys(vars.events).map((fn) => [
        { Name: 'FunctionName', Value: { Ref: `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction` } },
      ]),
    );
    expect(Object.keys(vars.events)).toEqual(expect.arrayContaining(['notify', 'metrics']));
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: 'GuardAlertsTopic' }]);
  });

  it('subscribes alertEmail to the topic only when it is configured', () => {
    expect(JSON.stringify(bridge.guardVars('example').guardAlarms)).not.toContain('AWS::SNS::Subscription');

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
