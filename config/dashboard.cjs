'use strict';

/**
 * The release-safety dashboard of one stage (AWS::CloudWatch::Dashboard), generated from the configured pipelines.
 *
 * Every graph reads only what the guard really publishes: the metrics of handlers/metrics/measure-decision.ts
 * (namespace LeadOut/ReleaseGuard, dimensions pipeline + mode + at most one enum, plus Powertools' `service`),
 * the InvalidEvents metric filters of serverless-vars.cjs `guardAlarms`, the DLQ's and the functions' own AWS
 * metrics, and the decision history's log lines (handlers/history: who did what). Search expressions with the
 * namespace alone as schema match whatever dimension set a decision carries, so a new enum value needs no edit.
 */

const NAMESPACE = 'LeadOut/ReleaseGuard';
const DAY = 86_400;
const HOUR = 3_600;

/** The dashboard's name: the stack's resource prefix (CloudWatch allows letters, digits, - and _). */
const dashboardName = (service, stage) => `${service}-${stage}`;

/** The console address of a dashboard (the Slack messages link to it too: handlers/notify/messages/console-links.ts). */
const dashboardUrl = (region, name) =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;

const quote = (value) => `"${String(value).replace(/"/g, '\\"')}"`;

/** SEARCH over the guard's namespace for one metric of one pipeline; `by` only names what the legend splits. */
function search(metric, pipeline, stat, period) {
  return `SEARCH('{${NAMESPACE}} MetricName=${quote(metric)} pipeline=${quote(pipeline)}', '${stat}', ${period})`;
}

/** One expression line per pipeline, ids unique within the widget. */
function perPipeline(pipelines, metric, stat, period, label = (p) => p) {
  return pipelines.map((p, i) => [
    { expression: search(metric, p, stat, period), id: `${metric.toLowerCase()}${i}`, label: label(p) },
  ]);
}

function graph(title, metrics, { stat = 'Sum', period = DAY, view = 'timeSeries', stacked = false } = {}) {
  return {
    type: 'metric',
    properties: { title, view, stacked, region: '${AWS::Region}', stat, period, metrics },
  };
}

/**
 * The widgets, each named by `metric` (what the packaging test checks one widget per metric of): one entry is one
 * widget. Functions are osls's `<service>-<stage>-<function>`.
 */
function dashboardWidgets({ pipelines, functionNames, deadLetterQueue, historyLogGroup }) {
  const ps = pipelines.map((p) => p.name);
  const widgets = [
    {
      metric: 'PromotionsApproved',
      widget: graph('Approvals per day', perPipeline(ps, 'PromotionsApproved', 'Sum', DAY)),
    },
    {
      metric: 'PromotionsRejected',
      widget: graph(
        'Rejections per day, by reason (superseded, alarm, dev-restore)',
        perPipeline(ps, 'PromotionsRejected', 'Sum', DAY, () => ''),
        { stacked: true },
      ),
    },
    {
      metric: 'PromotionsBlocked',
      widget: graph(
        'Blocks (Prod closed by a Dev alarm) per day',
        perPipeline(ps, 'PromotionsBlocked', 'Sum', DAY),
      ),
    },
    {
      metric: 'BakedMinutes',
      widget: graph(
        'Bake minutes of approved executions (max)',
        perPipeline(ps, 'BakedMinutes', 'Maximum', DAY),
        {
          stat: 'Maximum',
        },
      ),
    },
    {
      metric: 'AlarmToBlockSeconds',
      widget: graph(
        'Alarm to block, seconds (p50 and max)',
        ps.flatMap((p, i) => [
          [{ expression: search('AlarmToBlockSeconds', p, 'p50', HOUR), id: `p50${i}`, label: `${p} p50` }],
          [
            {
              expression: search('AlarmToBlockSeconds', p, 'Maximum', HOUR),
              id: `max${i}`,
              label: `${p} max`,
            },
          ],
        ]),
        { stat: 'p50', period: HOUR },
      ),
    },
    {
      metric: 'RollbacksStarted',
      widget: graph(
        'Rollbacks started, by path (rollback-stage, restart)',
        perPipeline(ps, 'RollbacksStarted', 'Sum', DAY, () => ''),
        { stacked: true },
      ),
    },
    {
      metric: 'RollbacksSkipped',
      widget: graph(
        'Rollbacks skipped, by reason',
        perPipeline(ps, 'RollbacksSkipped', 'Sum', DAY, () => ''),
        {
          stacked: true,
        },
      ),
    },
    {
      // Not a metric: the history function measures it when the restore's approval arrives (handlers/history).
      metric: 'history:restoreToProdSeconds',
      widget: {
        type: 'log',
        properties: {
          title: "Restores' time to Prod, seconds (rollback started → restore approved)",
          region: '${AWS::Region}',
          view: 'table',
          query:
            `SOURCE '${historyLogGroup}' | filter ispresent(restoreToProdSeconds)` +
            ' | stats pct(restoreToProdSeconds, 50) as p50, max(restoreToProdSeconds) as max, count(*) as restores' +
            ' by bin(1d) as day, pipeline | sort day desc',
        },
      },
    },
    {
      metric: 'TileRestarts',
      widget: graph(
        'Tile restarts, by outcome (started, completed, failed)',
        perPipeline(ps, 'TileRestarts', 'Sum', DAY, () => ''),
        { stacked: true },
      ),
    },
    {
      metric: 'TileRestartSeconds',
      widget: graph(
        'Tile restart duration, seconds (p50 and max)',
        ps.flatMap((p, i) => [
          [{ expression: search('TileRestartSeconds', p, 'p50', DAY), id: `tp50${i}`, label: `${p} p50` }],
          [
            {
              expression: search('TileRestartSeconds', p, 'Maximum', DAY),
              id: `tmax${i}`,
              label: `${p} max`,
            },
          ],
        ]),
        { stat: 'p50' },
      ),
    },
    {
      metric: 'PersonCommands',
      widget: graph(
        'Overrides and holds, by command',
        perPipeline(ps, 'PersonCommands', 'Sum', DAY, () => ''),
        { stacked: true },
      ),
    },
    {
      metric: 'PromotionsHeld',
      widget: graph(
        'Executions held at the gate (hold or freeze) per day',
        perPipeline(ps, 'PromotionsHeld', 'Sum', DAY),
      ),
    },
    {
      metric: 'GateAnsweredByPerson',
      widget: graph(
        'The gate answered by a person in the console, by status',
        perPipeline(ps, 'GateAnsweredByPerson', 'Sum', DAY, () => ''),
        { stacked: true },
      ),
    },
    {
      // Who is not a metric dimension (unbounded, and CloudWatch bills per dimension set): the history's log lines.
      metric: 'history:who',
      widget: {
        type: 'log',
        properties: {
          title: "People's commands and overrides, by person (decision history)",
          region: '${AWS::Region}',
          view: 'table',
          query:
            `SOURCE '${historyLogGroup}' | fields @timestamp, who, decision, pipeline` +
            ' | filter ispresent(who) | stats count(*) as decisions by who, decision, pipeline | sort decisions desc',
        },
      },
    },
    {
      metric: 'GuardFailures',
      widget: graph(
        'Guard failures, by reaction',
        perPipeline(ps, 'GuardFailures', 'Sum', HOUR, () => ''),
        {
          period: HOUR,
          stacked: true,
        },
      ),
    },
    {
      metric: 'InvalidEvents',
      widget: graph(
        'Invalid events dropped (all functions)',
        [[NAMESPACE, 'InvalidEvents', { stat: 'Sum' }]],
        {
          period: HOUR,
        },
      ),
    },
    {
      metric: 'ApproximateNumberOfMessagesVisible',
      widget: graph(
        'Dead-letter queue depth (redrive after fixing)',
        [
          [
            'AWS/SQS',
            'ApproximateNumberOfMessagesVisible',
            'QueueName',
            deadLetterQueue,
            { stat: 'Maximum' },
          ],
        ],
        { stat: 'Maximum', period: 300 },
      ),
    },
    {
      metric: 'Errors',
      widget: graph(
        "The guard functions' errors",
        functionNames.map((fn) => ['AWS/Lambda', 'Errors', 'FunctionName', fn, { label: fn }]),
        { period: 300, stacked: true },
      ),
    },
  ];
  return widgets;
}

/** Two columns of 12×6 widgets, under a title line with the stage and its pipelines. */
function dashboardBody(input) {
  const header = {
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown:
        `# Release guard ${input.stage}: release safety\n` +
        `Pipelines: ${input.pipelines.map((p) => p.name).join(', ')}. Decisions and who made them: ` +
        '`npx release-guard history <pipeline>`.',
    },
  };
  const widgets = dashboardWidgets(input).map(({ metric, widget }, i) => ({
    ...widget,
    x: (i % 2) * 12,
    y: 2 + Math.floor(i / 2) * 6,
    width: 12,
    height: 6,
    properties: { ...widget.properties },
    metricName: metric,
  }));
  return { widgets: [header, ...widgets] };
}

/**
 * The CloudFormation resource and output. DashboardBody is a string; `Fn::Sub` fills in the region only, so no
 * other `${` may appear in it (checked).
 */
function dashboardResources(input) {
  const body = dashboardBody(input);
  const widgets = body.widgets.map(({ metricName: _unused, ...w }) => w);
  const json = JSON.stringify({ widgets });
  if (json.replace(/\$\{AWS::Region\}/g, '').includes('${')) {
    throw new Error('dashboard body: only ${AWS::Region} may be substituted');
  }
  return {
    Resources: {
      ReleaseGuardDashboard: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardName: input.name, DashboardBody: { 'Fn::Sub': json } },
      },
    },
    Outputs: {
      ReleaseGuardDashboardUrl: {
        Description: 'The release-safety dashboard (CloudWatch console)',
        Value: { 'Fn::Sub': dashboardUrl('${AWS::Region}', input.name) },
      },
    },
  };
}

module.exports = { dashboardBody, dashboardResources, dashboardName, dashboardUrl, NAMESPACE };
