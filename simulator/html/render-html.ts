import type { ScenarioRun } from '../run-scenario';
import { pictureOf, type Picture } from './picture-model';
import { timelineSvg, xml } from './timeline-svg';

/** Inline on purpose: the file opens anywhere, offline, with nothing to fetch. */
const STYLE = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; background: #fafafa; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 2px; }
section.comparison { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; margin: 0 0 16px; }
section.comparison pre { font-size: 12px; white-space: pre-wrap; margin: 6px 0 0; }
.summary { margin: 0 0 12px; color: #555; }
.summary.unmet, .expectations .unmet { color: #c62828; font-weight: 600; }
section.scenario { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; margin: 0 0 16px; }
section.scenario.has-unmet { border-color: #c62828; border-width: 2px; }
.description { color: #555; margin: 0 0 6px; white-space: pre-wrap; }
.body { display: flex; gap: 12px; align-items: flex-start; }
.picture { overflow-x: auto; flex: 0 0 auto; }
.slack { flex: 1 1 300px; max-height: 460px; overflow-y: auto; border-left: 3px solid #4a154b; padding-left: 8px; }
.slack li { margin: 0 0 4px; list-style: none; }
.slack ol { padding: 0; margin: 0; }
.slack time, .expectations code { color: #777; font-size: 11px; }
.expectations { margin: 6px 0 0; padding-left: 18px; font-size: 12px; }
.expectations .met { color: #2e7d32; }
.legend { font-size: 12px; color: #444; margin: 0 0 12px; }
.legend span { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin-right: 3px; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg .small { font-size: 9px; fill: #777; }
svg .stage-label { font-size: 10px; fill: #fff; pointer-events: none; }
svg .tick { stroke: #eee; }
svg .tick-label { fill: #999; font-size: 10px; }
svg .stage { stroke: #fff; }
svg .stage.failed { stroke: #c62828; stroke-width: 2; }
svg .bake { fill: #ffb300; }
svg .gate { fill: #ef6c00; opacity: 0.7; }
svg .alarm { fill: #e53935; }
svg .alarm-shade { fill: #e53935; opacity: 0.08; }
svg .hold { fill: #7e57c2; }
svg .decision { fill: #1e88e5; stroke: #fff; stroke-width: 1.5; }
svg .write { fill: #212121; }
svg .write.bookkeeping { fill: #9e9e9e; }
svg .write.error { fill: #c62828; }
svg .marker:hover { stroke: #000; stroke-width: 2; }
`;

const LEGEND = [
  ['#64b5f6', 'Dev'],
  ['#66bb6a', 'Prod'],
  ['#ffb300', 'bake window'],
  ['#ef6c00', 'waiting at the gate'],
  ['#e53935', 'Dev alarm in ALARM'],
  ['#7e57c2', 'hold or freeze'],
  ['#1e88e5', '● decision'],
  ['#212121', '◆ AWS write'],
  ['#c62828', '◆ failed write / unmet expectation'],
]
  .map(([c, l]) => `<span><i class="swatch" style="background:${c}"></i>${xml(l!)}</span>`)
  .join('');

function scenarioSection(p: Picture): string {
  const unmet = p.expectations.filter((e) => !e.met).length;
  const slack = p.slack
    .map((m) => `<li><time>${xml(clockOf(m.at))}</time> ${xml(withoutShortcode(m.text))}</li>`)
    .join('');
  const expectations = p.expectations
    .map(
      (e) =>
        `<li class="${e.met ? 'met' : 'unmet'}">${e.met ? '✔' : '✘ NOT MET:'} <code>${xml(e.text)}</code> — ${xml(e.actual)}</li>`,
    )
    .join('');
  return [
    `<section class="scenario${unmet ? ' has-unmet' : ''}">`,
    `<h2>${xml(p.name)}</h2>`,
    p.description ? `<p class="description">${xml(p.description)}</p>` : '',
    `<div class="body"><div class="picture">${timelineSvg(p)}</div>`,
    `<div class="slack"><strong>Slack (${p.slack.length})</strong><ol>${slack}</ol></div></div>`,
    `<ul class="expectations">${expectations}</ul>`,
    '</section>',
  ].join('\n');
}

/** Slack shows `:octagonal_sign:` as an emoji; here it would be noise before the headline. */
const withoutShortcode = (text: string) => text.replace(/^:[a-z0-9_+-]+:\s*/, '');

const clockOf = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = Math.floor(minutes % 60);
  return `+${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};

/**
 * One self-contained HTML document (inline CSS and SVG, nothing fetched) picturing each rehearsal: a timeline
 * per scenario with the details of every decision and write on hover, its Slack messages beside it, and its
 * expectations, unmet ones in red.
 */
/** `comparison`: a backtest's comparison (simulate --history --html), shown above the replay's picture. */
export function renderHtml(runs: ScenarioRun[], options: { comparison?: string } = {}): string {
  const pictures = runs.map(pictureOf);
  const unmet = pictures.reduce((n, p) => n + p.expectations.filter((e) => !e.met).length, 0);
  const summary = unmet
    ? `<p class="summary unmet">${unmet} expectation(s) not met</p>`
    : `<p class="summary">${pictures.length} scenario(s), every expectation met</p>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<title>Release guard rehearsal</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>Release guard rehearsal</h1>',
    summary,
    ...(options.comparison
      ? [
          `<section class="comparison"><h2>What people did, what the guard would have done</h2><pre>${xml(options.comparison)}</pre></section>`,
        ]
      : []),
    `<p class="legend">${LEGEND} Hover a mark for its details.</p>`,
    ...pictures.map(scenarioSection),
    '</body></html>',
    '',
  ].join('\n');
}
