import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../simulator/html/render-html';
import { runScenario, type ScenarioRun } from '../../simulator/run-scenario';
import { loadScenario } from '../../simulator/scenario';

const root = join(import.meta.dirname, '../../simulator/scenarios');
const defaults = readdirSync(join(root, 'default'))
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => join(root, 'default', f));

/**
 * A small XML well-formedness check: every tag closes in order, attributes are quoted, no raw `<` or `&` in text.
 * Returns the first problem, or undefined.
 */
function xmlProblem(doc: string): string | undefined {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)|(<)/g;
  let consumed = 0;
  for (let m = token.exec(doc); m; m = token.exec(doc)) {
    if (m.index !== consumed) return `unparsed text at ${consumed}`;
    consumed = token.lastIndex;
    if (m[6]) return `stray < at ${m.index}: ${doc.slice(m.index, m.index + 40)}`;
    if (m[5] !== undefined) {
      const bad = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.exec(m[5]);
      if (bad) return `raw & in text at ${m.index + bad.index}`;
      continue;
    }
    if (m[0].startsWith('<!--')) continue;
    const [, closing, name, attrs = '', selfClosing] = m;
    const names = [...attrs.matchAll(/([\w:-]+)=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) return `duplicate attribute on <${name}>`;
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(attrs))
      return `raw & in attribute of <${name}>`;
    if (closing) {
      if (stack.pop() !== name) return `</${name}> closes nothing open`;
    } else if (!selfClosing) stack.push(name!);
  }
  if (consumed !== doc.length) return `unparsed text at ${consumed}`;
  return stack.length ? `<${stack.at(-1)}> never closed` : undefined;
}

const svgsOf = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
const sectionsOf = (html: string) => [...html.matchAll(/<section[\s\S]*?<\/section>/g)].map((m) => m[0]);
const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

/** The pipeline executions of a run: every execution id CodePipeline's events named. */
function executionsOf(run: ScenarioRun): Set<string> {
  return new Set(
    run.delivered
      .filter((e) => e['detail-type'].startsWith('CodePipeline'))
      .map((e) => e.detail['execution-id'])
      .filter((id): id is string => typeof id === 'string'),
  );
}

let runs: ScenarioRun[];
let html: string;
beforeAll(async () => {
  runs = [];
  for (const file of defaults) runs.push(await runScenario(loadScenario(file)));
  html = renderHtml(runs);
}, 120_000);

describe('simulate --html: one self-contained picture of the rehearsals', () => {
  it('draws one section with one SVG timeline per scenario, each well-formed XML', () => {
    expect(sectionsOf(html)).toHaveLength(runs.length);
    const svgs = svgsOf(html);
    expect(svgs).toHaveLength(runs.length);
    for (const svg of svgs) expect(xmlProblem(svg)).toBeUndefined();
  });

  it('draws one lane per execution and one marker per decision, with its details on hover', () => {
    const svgs = svgsOf(html);
    runs.forEach((run, i) => {
      const svg = svgs[i]!;
      const executions = executionsOf(run);
      expect(executions.size).toBeGreaterThan(0);
      expect(count(svg, /<g class="lane" data-execution="/g)).toBe(executions.size);
      for (const id of executions) expect(svg).toContain(`data-execution="${id}"`);
      const decisions = run.timeline.filter((t) => t.kind === 'decision');
      expect(count(svg, /<circle class="marker decision"[^>]*><title>/g)).toBe(decisions.length);
      const writes = run.timeline.filter((t) => t.kind === 'aws-call' && t.write);
      expect(count(svg, /<path class="marker write[^"]*"[^>]*><title>/g)).toBe(writes.length);
    });
  });

  it('lists every Slack message beside its timeline', () => {
    sectionsOf(html).forEach((section, i) => {
      const posted = runs[i]!.timeline.filter((t) => t.kind === 'slack');
      expect(count(section, /<li><time>/g)).toBe(posted.length);
    });
  });

  it('fetches nothing: no script, link, image, src, href, url() or @import', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i);
  });

  it('shows an unmet expectation in red', () => {
    // Prepare: the clean promotion, with one expectation it cannot meet
    const run = runs[0]!;
    const failing = {
      ...run,
      results: [
        ...run.results,
        { expectation: { emitted: 'Nothing', count: 1 }, met: false, actual: '0 found' },
      ],
    } as ScenarioRun;

    // Act
    const doc = renderHtml([failing]);

    // Assess
    expect(doc).toContain('<section class="scenario has-unmet">');
    expect(doc).toMatch(/<li class="unmet">✘ NOT MET: <code>\{&quot;emitted&quot;:&quot;Nothing&quot;/);
    expect(doc).toContain('<p class="summary unmet">1 expectation(s) not met</p>');
  });

  it('draws a backtest comparison above the replay, as text (simulate --history --html)', () => {
    const doc = renderHtml([runs[0]!], { comparison: 'leadout a1b2c3d\n  guard: block on alarm <x> & y' });

    expect(doc).toContain(
      '<section class="comparison"><h2>What people did, what the guard would have done</h2>',
    );
    expect(doc).toContain('<pre>leadout a1b2c3d\n  guard: block on alarm &lt;x&gt; &amp; y</pre>');
    expect(doc.indexOf('class="comparison"')).toBeLessThan(doc.indexOf('class="scenario'));
  });

  it('escapes what scenarios and events say (a name with < & " stays text)', () => {
    const run = { ...runs[0]!, scenario: { ...runs[0]!.scenario, name: 'a <b> & "c"' } } as ScenarioRun;

    const svg = svgsOf(renderHtml([run]))[0]!;

    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });
});
