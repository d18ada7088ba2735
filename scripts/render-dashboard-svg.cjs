/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it loads the .cjs bridge as osls does. */
'use strict';

/**
 * `node scripts/render-dashboard-svg.cjs [stage] > docs/img/dashboard.svg`: a drawing of the dashboard's layout
 * from the DashboardBody the stage deploys (config/dashboard.cjs): each widget's place, title and what it reads.
 * It is a rendering of the layout, not a screenshot of CloudWatch: there is no data in it.
 */
const { guardVars, loadStageConfig, deployedFunctions, SERVICE } = require('../config/serverless-vars.cjs');
const { dashboardBody } = require('../config/dashboard.cjs');

const stage = process.argv[2] || 'example';
const CELL = 40;
const ROW = 16;
const esc = (t) =>
  String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const config = loadStageConfig(stage);
const names = guardVars(stage).names;
const body = dashboardBody({
  name: `${SERVICE}-${stage}`,
  stage,
  pipelines: config.pipelines,
  functionNames: deployedFunctions().map((f) => `${SERVICE}-${stage}-${f}`),
  deadLetterQueue: names.deadLetterQueue,
  historyLogGroup: `/aws/lambda/${SERVICE}-${stage}-history`,
});

/** What a widget reads, in a few words: its metric, or the log query's source. */
function reads(w) {
  if (w.type === 'log') return 'Logs Insights: the history function’s log lines';
  if (w.type === 'text') return '';
  const text = JSON.stringify(w.properties.metrics);
  const n = w.properties.metrics.length;
  return `${w.metricName}${text.includes('SEARCH') ? ' (search, per pipeline)' : ''} · ${n} series`;
}

const width = 24 * CELL + 20;
const bottom = Math.max(...body.widgets.map((w) => w.y + w.height));
const height = bottom * ROW + 60;
const out = [
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif">`,
  `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
  `<text x="10" y="${height - 22}" font-size="11" fill="#687078">A rendering of the layout of the ${esc(body.widgets.length - 1)} widgets in the DashboardBody of stage ${esc(stage)} (config/dashboard.cjs, drawn by scripts/render-dashboard-svg.cjs).</text>`,
  `<text x="10" y="${height - 8}" font-size="11" fill="#687078">Not a screenshot of CloudWatch: there is no data in it.</text>`,
];
for (const w of body.widgets) {
  const x = 10 + w.x * CELL;
  const y = 10 + w.y * ROW;
  const wd = w.width * CELL - 6;
  const ht = w.height * ROW - 6;
  out.push(`<g><rect x="${x}" y="${y}" width="${wd}" height="${ht}" rx="3" fill="#fff" stroke="#d5dbdb"/>`);
  if (w.type === 'text') {
    out.push(
      `<text x="${x + 8}" y="${y + 22}" font-size="16" font-weight="600" fill="#16191f">${esc(w.properties.markdown.split('\n')[0].replace(/^# /, ''))}</text>`,
    );
  } else {
    out.push(
      `<text x="${x + 8}" y="${y + 20}" font-size="13" font-weight="600" fill="#16191f">${esc(w.properties.title)}</text>`,
    );
    out.push(`<text x="${x + 8}" y="${y + 38}" font-size="11" fill="#687078">${esc(reads(w))}</text>`);
    // Axes only: where the graph or the table goes.
    out.push(
      `<path d="M${x + 8} ${y + 38} V${y + ht - 8} H${x + wd - 8}" fill="none" stroke="#eaeded"/>` +
        (w.type === 'log'
          ? `<text x="${x + 12}" y="${y + 64}" font-size="11" fill="#879596">who · decision · pipeline · decisions</text>`
          : ''),
    );
  }
  out.push('</g>');
}
out.push('</svg>');
process.stdout.write(`${out.join('\n')}\n`);
