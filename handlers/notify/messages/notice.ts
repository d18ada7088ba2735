import type { Mode } from '../../../config/schema';
import type { EffectOutcome } from '../../../lib/act/intent';
import type { ActionsBlock } from './controls';

/** A Slack Block Kit block, as far as the guard's messages use them. */
export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | ActionsBlock;

/** What the webhook receives: `text` is the notification and screen-reader fallback, `blocks` the message. */
export type SlackMessage = { text: string; blocks: Block[] };

export type Link = { label: string; url: string };

/** What one decision means to a person: what happened, why, what happens next, where to look. */
export type Notice = {
  mode: Mode;
  /** A Slack emoji shortcode: loud ones (:rotating_light:) for what needs a person now. */
  icon: string;
  /** What happened, in one line (observe mode: "Would have …"). */
  headline: string;
  why: string[];
  next: string[];
  links: Link[];
  commit?: { id?: string; message?: string };
  /** Each write the decision made, and each that failed (lib/act): listed in the one message. */
  effects?: EffectOutcome[];
};

/** The envelope facts a renderer may use: the event id, when it happened, and where (console links). */
export type RenderContext = { eventId: string; time: string; region?: string };

const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const OBSERVE_NOTE =
  '*Observe mode*: the guard decided but wrote nothing to CodePipeline, ECS or CodeDeploy. People act as before.';

/** One layout for every decision, so a reader always finds the why, the next step and the links in one place. */
export function toSlackMessage(notice: Notice, ctx: RenderContext): SlackMessage {
  const prefix = notice.mode === 'observe' ? '[observe] ' : '';
  const header = `${prefix}${notice.headline}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(header, HEADER_MAX), emoji: true } },
    section('Why', notice.why),
    section('Next', notice.next),
  ];
  if (notice.effects?.length) blocks.push(section('Effects', notice.effects.map(effectLine)));
  if (notice.mode === 'observe')
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: OBSERVE_NOTE } });
  const context = [commitLine(notice.commit), linkLine(notice.links), `event \`${ctx.eventId}\``];
  blocks.push({
    type: 'context',
    elements: context.filter((t): t is string => !!t).map((text) => ({ type: 'mrkdwn', text })),
  });
  return { text: `${notice.icon} ${header}`, blocks };
}

const OUTCOME_MARK: Record<EffectOutcome['outcome'], string> = {
  done: ':white_check_mark: done',
  'already-done': ':white_check_mark: done (found on a retry)',
  preempted: ':person_raising_hand: not needed',
  skipped: ':fast_forward: skipped',
  failed: ':x: FAILED',
  unknown: ':grey_question: OUTCOME UNKNOWN',
};

/** `failed` and `unknown` say what a person should do; the others what was done. */
function effectLine(e: EffectOutcome): string {
  const note = e.note ? ` (${esc(e.note)})` : '';
  const error = e.error ? ` ${esc(e.error.name)}: ${esc(e.error.message)}.` : '';
  const remedy = e.remedy && (e.outcome === 'failed' || e.outcome === 'unknown') ? ` ${esc(e.remedy)}.` : '';
  const check = e.outcome === 'unknown' ? ' Check it before acting:' : '';
  return `${OUTCOME_MARK[e.outcome]}: \`${esc(e.call)}\` on ${esc(e.resource)}${note}.${error}${check}${remedy}`;
}

function section(title: string, lines: string[]): Block {
  const text = `*${title}*\n${lines.map((l) => `• ${l}`).join('\n')}`;
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SECTION_MAX) } };
}

function commitLine(commit: Notice['commit']): string | undefined {
  if (!commit?.id && !commit?.message) return undefined;
  const id = commit.id ? `\`${shortCommit(commit.id)}\`` : 'commit';
  return commit.message ? `${id} ${esc(firstLine(commit.message))}` : id;
}

function linkLine(links: Link[]): string | undefined {
  return links.length ? links.map((l) => `<${l.url}|${esc(l.label)}>`).join(' · ') : undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';

/** Slack mrkdwn treats &, < and > as control characters; every fact from an event goes through here. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const shortCommit = (id: string | undefined) => (id ? id.slice(0, 7) : 'unknown commit');

/** Execution ids are UUIDs; the first block is what people say and what the console shows first. */
export const shortExecution = (id: string) => id.slice(0, 8);

/** "14:05 UTC", with the date when it is not the day of `ref` (an event's time). */
export function utc(iso: string, ref: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = `${at.toISOString().slice(11, 16)} UTC`;
  return at.toISOString().slice(0, 10) === new Date(ref).toISOString().slice(0, 10)
    ? time
    : `${at.toISOString().slice(0, 10)} ${time}`;
}

/** "2 alarms", "1 alarm". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
