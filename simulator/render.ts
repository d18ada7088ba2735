import { toPlainText } from '../handlers/notify/messages/plain-text';
import type { SlackMessage } from '../handlers/notify/messages/notice';
import type { ScenarioRun } from './run-scenario';
import type { TimelineEntry } from './world/timeline';

/** One JSON object per line: every event, decision, AWS call (with its parameters) and guard event. */
export function renderJson(run: ScenarioRun): string {
  const lines = run.timeline.map((t) => JSON.stringify({ scenario: run.scenario.name, ...t }));
  for (const r of run.results)
    lines.push(JSON.stringify({ scenario: run.scenario.name, kind: 'expectation', ...r }));
  return lines.join('\n');
}

/** The readable timeline: what arrived, what the guard decided, what it wrote to AWS, what it announced. */
export function renderText(run: ScenarioRun, options: { reads?: boolean } = {}): string {
  const out = [`━━ ${run.scenario.name}`];
  if (run.scenario.description) out.push(`   ${run.scenario.description.trim()}`);
  for (const t of run.timeline) {
    const line = textLine(t, options.reads ?? false);
    if (line) out.push(`${t.at.padEnd(9)} ${line}`);
  }
  for (const r of run.results) {
    out.push(`${r.met ? '  ✔' : '  ✘'} expect ${JSON.stringify(r.expectation)} — ${r.actual}`);
  }
  return out.join('\n');
}

function textLine(t: TimelineEntry, reads: boolean): string | undefined {
  switch (t.kind) {
    case 'world':
      return `  world     ${t.summary}`;
    case 'event':
      return `→ event     ${t.detailType} [${t.summary}]${t.fromAccount ? ` from account ${t.fromAccount}, on the guard bus` : ''}${t.delivered.length ? ` → ${t.delivered.join(', ')}` : t.fromAccount ? ' → no rule matches: ignored' : ''}`;
    case 'decision': {
      const { kind, reason, summary, until } = t.decision as Record<string, unknown>;
      const why = summary ?? reason ?? '';
      const when = until instanceof Date ? ` until ${until.toISOString()}` : '';
      return `  decide    ${t.reaction}: ${String(kind)}${when}${why ? ` — ${String(why)}` : ''}`;
    }
    case 'aws-call':
      if (!t.write && !reads && !t.error) return undefined;
      return `  aws ${t.write ? 'write' : 'read '} ${t.service}.${t.operation} ${keyParams(t.params)}${t.error ? `  ✗ ${t.fault ? `[fault ${t.fault}] ` : ''}${t.error}` : ''}`;
    case 'emitted':
      return `← emitted   ${t.detailType} ${JSON.stringify(t.detail)}`;
    case 'slack':
      return slackLines({ text: t.text, blocks: t.blocks } as SlackMessage);
    case 'fault':
      return `  ✗ fault   ${t.caller} dies just before ${t.service}.${t.operation} (crash): the call never leaves`;
    case 'dlq':
      return `  ✗ dlq     ${t.function} gives up on ${t.detailType} ${t.eventId.slice(0, 8)} after ${t.attempts} attempts: ${t.error}`;
    case 'invocation':
      return t.error
        ? `  ✗ ${t.function} ${t.died ? 'died' : 'failed'} (attempt ${t.attempt}): ${t.error}`
        : `  · ${t.function}: ${t.calls} AWS calls (${t.reads} reads, ${t.writes} writes; ${t.roundTrips} round trips)${t.announced ? ` + ${t.announced} announcing (PutEvents, outbox)` : ''}`;
  }
}

/** A posted message, compactly: its header, then its why / next bullets and the context line, indented. */
function slackLines(message: SlackMessage): string {
  const [header = message.text, ...rest] = toPlainText(message);
  const body = rest.filter((l) => l !== 'Why' && l !== 'Next' && !l.startsWith('Observe mode:'));
  return [`✉ slack     ${header}`, ...body.map((l) => `${' '.repeat(22)}${l}`)].join('\n');
}

const KEYS = [
  'pipelineName',
  'name',
  'stageName',
  'actionName',
  'Name',
  'ScheduleExpression',
  'result',
  'reason',
  'TableName',
  'UpdateExpression',
];

function keyParams(params: Record<string, unknown>): string {
  const picked = KEYS.filter((k) => params[k] !== undefined).map((k) => `${k}=${JSON.stringify(params[k])}`);
  return picked.join(' ');
}
