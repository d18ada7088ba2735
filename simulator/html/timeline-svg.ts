import type { Lane, Marker, Picture, Span } from './picture-model';

/** Text and attribute values for XML: the five entities, and no character XML 1.0 forbids. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const LABEL_W = 190;
const PLOT_W = 860;
const AXIS_H = 26;
const BAND_H = 22;
const LANE_H = 40;
const STAGE_COLOURS: Record<string, string> = {
  Source: '#b0bec5',
  Build: '#90a4ae',
  Dev: '#64b5f6',
  Prod: '#66bb6a',
};

const title = (text: string) => `<title>${xml(text)}</title>`;
const rect = (x: number, y: number, w: number, h: number, cls: string, tip: string) =>
  `<rect class="${cls}" x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 2).toFixed(1)}" height="${h}">${title(tip)}</rect>`;
const text = (x: number, y: number, cls: string, content: string) =>
  `<text class="${cls}" x="${x.toFixed(1)}" y="${y}">${xml(content)}</text>`;

/** A "nice" tick step in minutes for the span drawn. */
function tickStep(end: number): number {
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
  return steps.find((s) => end / s <= 12) ?? 2880;
}

const clock = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `+${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};

/**
 * One rehearsal as an SVG: an axis in minutes since the start, a band for the Dev alarms and one for holds and
 * freezes, a lane per execution (its stages, the bake over them, the wait at the gate), a lane for what names no
 * execution, and a row for the guard's own bookkeeping writes (ledger, bus). Every mark has its details in <title>.
 */
export function timelineSvg(p: Picture): string {
  // A bake or an alarm that outlasts the scenario is drawn up to its end (the hover says until when).
  const x = (m: number) => LABEL_W + (Math.min(p.end, Math.max(0, m)) / p.end) * PLOT_W;
  const width = (s: Span) => x(s.to) - x(s.from);
  const rows = ['alarms', 'holds', ...p.lanes.map((l) => l.executionId), 'guard', 'bookkeeping'];
  const top = (row: string) => {
    const i = rows.indexOf(row);
    if (i < 2) return AXIS_H + i * BAND_H;
    return AXIS_H + 2 * BAND_H + (Math.min(i, rows.length - 1) - 2) * LANE_H;
  };
  const height = top('bookkeeping') + BAND_H + 6;
  const out: string[] = [];
  out.push(
    `<svg class="timeline" viewBox="0 0 ${LABEL_W + PLOT_W + 40} ${height}" width="${LABEL_W + PLOT_W + 40}" height="${height}" role="img">`,
  );
  out.push(title(`${p.name}: ${p.lanes.length} executions, ${p.decisions.length} decisions`));
  const step = tickStep(p.end);
  out.push('<g class="axis">');
  for (let m = 0; m <= p.end + 1e-9; m += step) {
    out.push(
      `<line class="tick" x1="${x(m).toFixed(1)}" y1="${AXIS_H - 4}" x2="${x(m).toFixed(1)}" y2="${height - 4}"/>`,
    );
    out.push(text(x(m) + 2, 14, 'tick-label', clock(m)));
  }
  out.push('</g>');
  out.push(text(4, top('alarms') + 15, 'row-label', 'Dev alarms'));
  out.push(text(4, top('holds') + 15, 'row-label', 'holds, freezes'));
  out.push('<g class="alarms">');
  for (const a of p.alarms) {
    out.push(
      rect(x(a.from), top('alarms') + 3, width(a), height - top('alarms') - 10, 'alarm-shade', a.label),
    );
    out.push(
      rect(
        x(a.from),
        top('alarms') + 3,
        width(a),
        BAND_H - 6,
        'alarm',
        `${clock(a.from)}–${clock(a.to)} ${a.label}`,
      ),
    );
  }
  out.push('</g><g class="holds">');
  for (const h of p.holds)
    out.push(
      rect(
        x(h.from),
        top('holds') + 3,
        width(h),
        BAND_H - 6,
        'hold',
        `${clock(h.from)}–${clock(h.to)} ${h.label}`,
      ),
    );
  out.push('</g>');
  for (const lane of p.lanes) out.push(laneSvg(lane, top(lane.executionId), x, width));
  out.push(`<g class="lane guard-lane">${text(4, top('guard') + 24, 'row-label', 'no execution named')}</g>`);
  out.push(text(4, top('bookkeeping') + 15, 'row-label small', "ledger, bus (guard's own)"));
  out.push(markers(p, x, top));
  out.push('</svg>');
  return out.join('\n');
}

function laneSvg(lane: Lane, y: number, x: (m: number) => number, width: (s: Span) => number): string {
  const out = [`<g class="lane" data-execution="${xml(lane.executionId)}">`];
  out.push(text(4, y + 17, 'row-label', `${lane.pipeline} ${lane.executionId.slice(0, 8)}`));
  if (lane.commitId) out.push(text(4, y + 31, 'row-label small', `commit ${lane.commitId}`));
  for (const s of lane.stages) {
    const cls = `stage${s.state === 'FAILED' ? ' failed' : ''}`;
    const colour = STAGE_COLOURS[s.stage] ?? '#bdbdbd';
    out.push(
      `<rect class="${cls}" fill="${colour}" x="${x(s.from).toFixed(1)}" y="${y + 12}" width="${Math.max(width(s), 2).toFixed(1)}" height="16">${title(`${clock(s.from)}–${clock(s.to)} ${s.label}`)}</rect>`,
    );
    if (width(s) > 28) out.push(text(x(s.from) + 3, y + 24, 'stage-label', s.stage));
  }
  if (lane.bake)
    out.push(
      rect(
        x(lane.bake.from),
        y + 5,
        width(lane.bake),
        5,
        'bake',
        `${clock(lane.bake.from)}–${clock(lane.bake.to)} ${lane.bake.label}`,
      ),
    );
  if (lane.gate)
    out.push(
      rect(
        x(lane.gate.from),
        y + 30,
        width(lane.gate),
        5,
        'gate',
        `${clock(lane.gate.from)}–${clock(lane.gate.to)} ${lane.gate.label} (${lane.gate.state})`,
      ),
    );
  out.push('</g>');
  return out.join('');
}

/** Decisions (circles) and world writes (diamonds) on their lane; several at one moment side by side. */
function markers(p: Picture, x: (m: number) => number, top: (row: string) => number): string {
  const taken = new Map<string, number>();
  const place = (m: Marker, row: string, dy: number) => {
    const key = `${row} ${Math.round(x(m.at))} ${dy}`;
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    return { cx: x(m.at) + n * 7, cy: top(row) + dy };
  };
  const out = ['<g class="markers">'];
  for (const d of p.decisions) {
    const { cx, cy } = place(d, d.lane ?? 'guard', 20);
    out.push(
      `<circle class="marker decision" cx="${cx.toFixed(1)}" cy="${cy}" r="5">${title(d.title)}</circle>`,
    );
  }
  for (const w of p.writes) {
    const row = w.world ? (w.lane ?? 'guard') : 'bookkeeping';
    const { cx, cy } = place(w, row, w.world ? 36 : 11);
    const r = w.world ? 5 : 3;
    const cls = `marker write${w.world ? '' : ' bookkeeping'}${w.error ? ' error' : ''}`;
    out.push(
      `<path class="${cls}" d="M${cx.toFixed(1)} ${cy - r} l${r} ${r} l-${r} ${r} l-${r} -${r} z">${title(w.title)}</path>`,
    );
  }
  out.push('</g>');
  return out.join('\n');
}
