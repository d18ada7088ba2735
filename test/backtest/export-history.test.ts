import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportHistory, type ExportDeps } from '../../bin/cli/export-history';
import { startStandIn, type StandIn } from './api-stand-in';

const recordedHistory = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/backtest/history-3-days.json'), 'utf8'),
) as unknown;

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function run(argv: string[], options: { deny?: string } = {}) {
  standIn = await startStandIn(options);
  const out = { stdout: '', stderr: [] as string[] };
  const deps: ExportDeps = {
    env: {},
    stdout: (text) => (out.stdout += text),
    stderr: (text) => out.stderr.push(text),
    credentials: (profile) =>
      Promise.resolve({
        accessKeyId: profile === undefined ? 'AKIDSTANDIN' : `AKID-${profile}`,
        secretAccessKey: 'fake',
      }),
    now: () => new Date('2026-11-25T15:30:00Z'),
    endpoint: standIn.endpoint,
  };
  const code = await exportHistory(argv, deps);
  return { code, ...out, requests: standIn.requests };
}

const calls = (requests: StandIn['requests'], operation: string) =>
  requests.filter((r) => r.operation === operation);

describe('release-guard export-history', () => {
  it('reads every page of the recorded APIs and prints the history document', async () => {
    // Act
    const { code, stdout, requests } = await run(['--stage', 'example', '--days', '3']);

    // Assess
    expect(code).toBe(0);
    const history = JSON.parse(stdout) as {
      version: number;
      pipelines: { executions: { pipelineExecutionId: string }[]; actionExecutions: unknown[] }[];
      alarms: { name: string; type: string; history: unknown[] }[];
    };
    expect(history).toEqual(recordedHistory);
    expect(history.version).toBe(1);
    // 12 recorded executions on 3 pages and a 4th that is never asked for: the 3rd page reaches 2026-11-22 14:00.
    expect(calls(requests, 'ListPipelineExecutions').map((r) => r.body.nextToken)).toEqual([
      undefined,
      'lpe-page-2',
      'lpe-page-3',
    ]);
    expect(history.pipelines[0]?.executions).toHaveLength(10);
    // 44 action executions, 3 a page: 7 executions of 5 actions and 1 of 4 take two pages, 2 take one.
    expect(history.pipelines[0]?.actionExecutions).toHaveLength(44);
    expect(calls(requests, 'ListActionExecutions')).toHaveLength(18);
    expect(history.alarms.map((a) => [a.name, a.type, a.history.length])).toEqual([
      ['leadout-dev-api-5xx', 'MetricAlarm', 2],
      ['leadout-dev-latency-p99', 'MetricAlarm', 0],
      ['leadout-dev-health', 'CompositeAlarm', 1],
    ]);
  });

  it('asks only read-only APIs, for state changes of metric and composite alarms in the window', async () => {
    // Act
    const { requests } = await run(['--stage', 'example', '--days', '3']);

    // Assess
    expect(new Set(requests.map((r) => r.operation))).toEqual(
      new Set([
        'GetPipeline',
        'ListPipelineExecutions',
        'ListActionExecutions',
        'DescribeAlarms',
        'DescribeAlarmHistory',
      ]),
    );
    expect(calls(requests, 'DescribeAlarms')[0]?.body).toMatchObject({
      AlarmNamePrefix: 'leadout-dev-',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(calls(requests, 'DescribeAlarmHistory')[0]?.body).toMatchObject({
      AlarmName: 'leadout-dev-api-5xx',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: Date.parse('2026-11-22T15:30:00Z') / 1000,
      EndDate: Date.parse('2026-11-25T15:30:00Z') / 1000,
    });
    expect(calls(requests, 'ListActionExecutions')[1]?.body).toMatchObject({
      pipelineName: 'leadout',
      filter: { pipelineExecutionId: 'adf09fee-beab-4f9c-9607-f3aebfc0d110' },
      nextToken: 'lae-e10-page-2',
    });
  });

  it('reports progress on stderr, not in the document', async () => {
    const { stderr } = await run(['--stage', 'example', '--days', '3']);
    expect(stderr).toContain('export-history: leadout: 10 executions since 2026-11-22T15:30:00.000Z');
    expect(stderr.at(-1)).toBe('export-history: done: leadout 10 executions, 3 alarms');
  });

  it.each([
    ['ListPipelineExecutions', /codepipeline:ListPipelineExecutions \(leadout\)/],
    ['ListActionExecutions', /codepipeline:ListActionExecutions \(leadout adf09fee-/],
    ['DescribeAlarmHistory', /cloudwatch:DescribeAlarmHistory \(leadout-dev-api-5xx\)/],
  ])(
    'names the IAM action that is missing when %s is denied, and prints no document',
    async (operation, action) => {
      // Act
      const { code, stdout, stderr } = await run(['--stage', 'example'], { deny: operation });

      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.at(-1)).toMatch(/^export-history: AccessDenied: your credentials may not call /);
      expect(stderr.at(-1)).toMatch(action);
    },
  );

  it("reads Dev's alarms in Dev's account (environments.dev) with --dev-profile, the pipeline with the default", async () => {
    // Act
    const { code, requests } = await run([
      '--stage',
      'accounts',
      '--days',
      '3',
      '--dev-profile',
      'leadout-dev',
    ]);

    // Assess: accounts.yml deploys in eu-west-1; Dev's alarms are read there too (no environments.dev.region).
    expect(code).toBe(0);
    expect(calls(requests, 'ListPipelineExecutions')[0]?.signedWith).toBe(
      'AKIDSTANDIN/eu-west-1/codepipeline/aws4_request',
    );
    expect(calls(requests, 'DescribeAlarms')[0]?.signedWith).toBe(
      'AKID-leadout-dev/eu-west-1/monitoring/aws4_request',
    );
  });

  it.each([
    [
      ['--stage', 'accounts'],
      /the Dev alarms live in account 222222222222 \(environments\.dev\): pass --dev-profile/,
    ],
    [['--days', '3'], /--stage <stage>/],
    [['--stage', 'example', '--days', '0'], /--days must be a whole number/],
    [['--stage', 'nope'], /config\/stages\/nope\.yml does not exist/],
  ])('refuses %j before any call', async (argv, message) => {
    const { code, stderr, requests } = await run(argv);
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(message);
    expect(requests).toEqual([]);
  });
});
