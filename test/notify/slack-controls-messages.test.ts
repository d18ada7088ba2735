import { describe, expect, it } from 'vitest';
import { renderDecision } from '../../handlers/notify/messages';
import type { ActionsBlock } from '../../handlers/notify/messages/controls';
import { decisionFixtureNames, loadDecision } from './decision-fixtures';

const controlsOf = (name: string) =>
  renderDecision(loadDecision(name), { controls: true }).blocks.find(
    (b): b is ActionsBlock => b.type === 'actions',
  );

describe('buttons on the guard’s messages (Slack controls)', () => {
  it.each([
    ['bake-started', ['hold', 'promote-now']],
    ['promotion-held', ['release-hold', 'promote-now']],
    ['promotion-held-frozen', ['promote-now']],
    ['promotion-blocked', ['lift-block']],
    ['promotion-approved', ['rollback-now']],
    ['person-command-hold', ['release-hold']],
    ['bake-started-prod-restore', []],
    ['tile-restart-started', []],
  ])('%s offers %j', (name, commands) => {
    const block = controlsOf(name);

    expect(block?.elements.map((e) => e.action_id) ?? []).toEqual(commands.map((c) => `release-guard:${c}`));
  });

  it('puts a confirm dialog saying what will happen on every button that lets a release through or changes Prod', () => {
    const promote = controlsOf('bake-started')!.elements[1]!;
    const hold = controlsOf('bake-started')!.elements[0]!;

    expect(hold.confirm).toBeUndefined();
    expect(promote.confirm?.text.text).toMatch(
      /approves execution `e4625dc7` of \*leadout\* into Prod \*before its bake is over\*/,
    );
    expect(promote.style).toBe('danger');
    for (const name of ['promotion-held', 'promotion-blocked', 'promotion-approved']) {
      expect(controlsOf(name)!.elements[0]!.confirm?.text.text, name).toMatch(/Prod/);
    }
  });

  it('names the pipeline, the execution and a nonce (the event id) in the value, within Slack’s limits', () => {
    const event = loadDecision('bake-started');
    const promote = controlsOf('bake-started')!.elements[1]!;

    expect(JSON.parse(promote.value)).toEqual({
      p: 'leadout',
      e: (event.detail as { executionId: string }).executionId,
      n: event.id,
    });
    for (const name of decisionFixtureNames) {
      for (const e of controlsOf(name)?.elements ?? []) {
        expect(e.value.length).toBeLessThanOrEqual(2000);
        expect(e.confirm?.text.text.length ?? 0).toBeLessThanOrEqual(300);
      }
    }
  });

  it('keeps the context line last, and adds no buttons without config slack', () => {
    const message = renderDecision(loadDecision('bake-started'), { controls: true });

    expect(message.blocks.at(-1)!.type).toBe('context');
    expect(message.blocks.at(-2)!.type).toBe('actions');
    for (const name of decisionFixtureNames) {
      expect(
        renderDecision(loadDecision(name)).blocks.some((b) => b.type === 'actions'),
        name,
      ).toBe(false);
    }
  });
});
