import type { SlackMessage } from './notice';

/**
 * A Slack message as a person reads it, in plain lines: links keep their label, mrkdwn marks go. The simulator
 * prints this, and docs/notifications.md shows it.
 */
export function toPlainText(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => {
    if (block.type === 'header') return [block.text.text];
    // Slack controls' buttons, as "[Hold] [Promote now]".
    if (block.type === 'actions') return [block.elements.map((e) => `[${e.text.text}]`).join(' ')];
    const texts =
      block.type === 'section' ? [block.text.text] : [block.elements.map((e) => e.text).join(' · ')];
    return texts.flatMap((t) => plain(t).split('\n'));
  });
}

function plain(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/[*`]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
