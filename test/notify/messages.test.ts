import { describe, expect, it } from 'vitest';
import { decisionContracts } from '../../events/guard/catalog';
import { renderDecision, renderers } from '../../handlers/notify/messages';
import type { SlackMessage } from '../../handlers/notify/messages/notice';
import { toPlainText } from '../../handlers/notify/messages/plain-text';
import { decisionFixtureNames, loadDecision } from './decision-fixtures';

const section = (m: SlackMessage, title: string) =>
  m.blocks.flatMap((b) =>
    b.type === 'section' && b.text.text.startsWith(`*${title}*`) ? [b.text.text] : [],
  )[0] ?? '';
const header = (m: SlackMessage) =>
  m.blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : []))[0] ?? '';
const context = (m: SlackMessage) =>
  m.blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : [])).join(' · ');

describe('the catalog of decisions', () => {
  it.each(decisionContracts.map((c) => c.detailType))(
    '%s has a renderer and a fixture that renders',
    (type) => {
      // Prepare
      const fixture = decisionFixtureNames.find((n) => loadDecision(n)['detail-type'] === type);

      // Assess
      expect(renderers).toHaveProperty(type);
      expect(fixture, `test/fixtures/guard/decisions has no ${type}`).toBeDefined();
      const message = renderDecision(loadDecision(fixture!));
      expect(header(message).length).toBeGreaterThan(10);
      expect(section(message, 'Why')).not.toBe('');
      expect(section(message, 'Next')).not.toBe('');
    },
  );
});

describe('rendered decision messages', () => {
  it.each(decisionFixtureNames)('%s matches its snapshot and stays inside Slack limits', (name) => {
    // Act
    const message = renderDecision(loadDecision(name));

    // Assess
    expect(header(message).length).toBeLessThanOrEqual(150);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect({ plain: toPlainText(message), message }).toMatchSnapshot();
  });

  it('BakeStarted says when the Prod gate approves and under which condition', () => {
    const m = renderDecision(loadDecision('bake-started'));
    expect(section(m, 'Next')).toContain('Prod gate approves at *14:05 UTC* if Dev stays healthy');
    expect(section(m, 'Why')).toContain('13:05 UTC');
    expect(context(m)).toContain('`3b9e7c2` Render tile labels with the new font stack');
    expect(context(m)).toContain(
      '<https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/leadout/executions/e4625dc7-00d8-4c86-b735-d491150cfb97/timeline?region=eu-west-1|execution e4625dc7>',
    );
  });

  it('BakeStarted of a restore of a Prod failure promises no bake: it passes the Prod gate at once', () => {
    const m = renderDecision(loadDecision('bake-started-prod-restore'));
    expect(header(m)).toBe('Restore of leadout 9c8b7a6 passed Dev: it passes the Prod gate at once, no bake');
    expect(section(m, 'Why')).toContain('restore after execution `e4625dc7` failed in Prod');
    expect(section(m, 'Next')).toContain('passes the Prod gate at once, no bake');
    expect(m.text).not.toMatch(/bake started|approves at/i);
    expect(section(m, 'Next')).not.toContain('UTC');
  });

  it('BakeStarted of a restore of a Dev failure says the guard rejects it at the Prod gate', () => {
    const m = renderDecision(loadDecision('bake-started-dev-restore'));
    expect(header(m)).toBe(
      'Restore of leadout 9c8b7a6 passed Dev: restored Dev only, the guard rejects it at the Prod gate',
    );
    expect(section(m, 'Why')).toContain('failed in Dev');
    expect(section(m, 'Next')).toContain(
      'It restored Dev only; the guard rejects it at the Prod gate, Prod already runs a known good release.',
    );
    expect(section(m, 'Next')).not.toContain('approves');
  });

  it('BakeStarted of a restore in observe mode says what the guard would do', () => {
    const prod = loadDecision('bake-started-prod-restore');
    const dev = loadDecision('bake-started-dev-restore');
    Object.assign(prod.detail, { mode: 'observe' });
    Object.assign(dev.detail, { mode: 'observe' });
    expect(header(renderDecision(prod))).toContain('the guard would pass it through the Prod gate at once');
    expect(section(renderDecision(dev), 'Next')).toContain('the guard would reject it at the Prod gate');
  });

  it('PromotionApproved says how long it baked and which alarms stayed quiet', () => {
    const m = renderDecision(loadDecision('promotion-approved'));
    expect(header(m)).toBe('Approved leadout 3b9e7c2 into Prod');
    expect(section(m, 'Why')).toContain(
      'Baked 60 min in Dev; 2 Dev alarms quiet the whole bake: leadout-dev-api-5xx, leadout-dev-latency-p99.',
    );
    expect(section(m, 'Next')).toContain('deploys to Prod now');
  });

  it('observe mode says "would have" unmistakably, in the header, the next step and a note', () => {
    const m = renderDecision(loadDecision('promotion-approved-observe'));
    expect(header(m)).toBe('[observe] Would have approved leadout 3b9e7c2 into Prod');
    expect(m.text).toContain('Would have approved');
    expect(section(m, 'Next')).toContain('Nothing was approved');
    expect(m.blocks.some((b) => b.type === 'section' && b.text.text.startsWith('*Observe mode*'))).toBe(true);
  });

  /** Decisions whose enforce form writes to CodePipeline or ECS: in observe mode their header says "Would have". */
  const writes = new Set([
    'PromotionApproved',
    'PromotionRejected',
    'PromotionBlocked',
    'RollbackStarted',
    'TileRestartStarted',
  ]);

  it.each(decisionFixtureNames)(
    '%s in observe mode is marked as such, and says "Would have" for a write',
    (name) => {
      const event = loadDecision(name);
      event.detail.mode = 'observe';

      const m = renderDecision(event);

      expect(header(m).startsWith('[observe] ')).toBe(true);
      expect(m.blocks.some((b) => b.type === 'section' && b.text.text.startsWith('*Observe mode*'))).toBe(
        true,
      );
      const reopens = event['detail-type'] === 'PromotionUnblocked' && event.detail.outcome === 'enabled';
      if (writes.has(event['detail-type']) || reopens) {
        expect(header(m)).toContain('Would have');
        expect(section(m, 'Next')).toMatch(/^\*Next\*\n• Nothing was/);
      }
    },
  );

  it('PromotionRejected (superseded) names the superseding execution and links both', () => {
    const m = renderDecision(loadDecision('promotion-rejected-superseded'));
    expect(header(m)).toContain('superseded');
    expect(section(m, 'Why')).toContain('`7d1e2f3a` succeeded in Dev after `e4625dc7`');
    expect(context(m)).toContain('executions/7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6/timeline');
  });

  it('PromotionRejected (dev-restore) says the restart restored Dev only and Prod keeps its release', () => {
    const m = renderDecision(loadDecision('promotion-rejected-dev-restore'));
    expect(header(m)).toBe('Rejected leadout 1f2e3d4 at the Prod gate: a Dev-only restore');
    expect(section(m, 'Why')).toContain("`9a8b7c6d` is the guard's restart after a Dev failure");
    expect(section(m, 'Next')).toContain('Prod keeps its release.');
  });

  it('PromotionRejected (alarm) names the alarm, when it fired, and links it', () => {
    const m = renderDecision(loadDecision('promotion-rejected-alarm'));
    expect(section(m, 'Why')).toContain('`leadout-dev-api-5xx` was ALARM at 13:31 UTC');
    expect(context(m)).toContain(
      'cloudwatch/home?region=eu-west-1#alarmsV2:alarm/leadout-dev-api-5xx|alarm leadout-dev-api-5xx',
    );
  });

  it('PromotionBlocked gives the alarm reason, time to block, the rejected gate and the way back', () => {
    const m = renderDecision(loadDecision('promotion-blocked'));
    expect(header(m)).toBe('Prod stopped for leadout: Dev alarm leadout-dev-api-5xx');
    expect(section(m, 'Why')).toContain('since 13:31 UTC: Threshold Crossed');
    expect(section(m, 'Why')).toContain('Stopped 7 s after the alarm.');
    expect(section(m, 'Next')).toContain('The gate of `e4625dc7` was rejected.');
    expect(section(m, 'Next')).toContain('Pending bake timers of this pipeline are deleted');
    expect(section(m, 'Next')).toContain('re-enables the transition, only if its own reason is still on it');
    // The alarm's region comes from its ARN (the Dev account's region), not from the guard's event.
    expect(context(m)).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/leadout-dev-api-5xx',
    );
  });

  it('PromotionUnblocked for the guard’s restore says the alarm still fires and Prod closes again', () => {
    const m = renderDecision(loadDecision('promotion-unblocked-for-restore'));
    expect(header(m)).toBe("Prod reopened for leadout: the guard's rollback 6c7d8e9f waits to enter it");
    expect(section(m, 'Why')).toContain('likely the failed release');
    expect(section(m, 'Next')).toContain('passes the gate without a bake');
  });

  it('PromotionUnblocked left disabled tells a person to act, and quotes the foreign reason', () => {
    const m = renderDecision(loadDecision('promotion-unblocked-left-disabled'));
    expect(section(m, 'Why')).toContain('"Release freeze until the demo", not the guard\'s');
    expect(section(m, 'Next')).toContain('Enable the transition into Prod by hand');
  });

  it('RollbackStarted names the failed stage and action, the known good commit and the path', () => {
    const m = renderDecision(loadDecision('rollback-started'));
    expect(header(m)).toBe('Rolling back leadout to 9c8b7a6: 3b9e7c2 failed in Prod');
    expect(section(m, 'Why')).toContain('failed in Prod / DeployTiles: ECS deployment ecs-svc/4419 failed');
    expect(section(m, 'Why')).toContain('9c8b7a6 (Hillshading for zoom 14)');
    expect(section(m, 'Why')).toContain('Fast path: RollbackStage');
    expect(context(m)).toContain('|rollback 5a6b7c8d>');
    expect(section(m, 'Next')).toContain('passes the Prod gate without a bake');
  });

  it('RollbackStarted after a Dev failure never promises the Prod gate: Dev only, by path', () => {
    const restart = renderDecision(loadDecision('rollback-started-dev-restart'));
    expect(section(restart, 'Next')).toContain('at the Prod gate the guard rejects it');
    expect(section(restart, 'Next')).not.toContain('without a bake');
    const event = loadDecision('rollback-started-dev-restart');
    if (event['detail-type'] !== 'RollbackStarted') throw new Error('fixture');
    event.detail.path = 'rollback-stage';
    const fast = renderDecision(event);
    expect(section(fast, 'Next')).toContain('restores Dev only; Prod never received the failed commit');
  });

  it('RollbackSkipped with no known good release is loud and asks a person to restore', () => {
    const m = renderDecision(loadDecision('rollback-skipped'));
    expect(m.text.startsWith(':rotating_light:')).toBe(true);
    expect(section(m, 'Next')).toContain('A person must restore Prod');
  });

  it('tile restarts link the ECS service and say what follows', () => {
    const started = renderDecision(loadDecision('tile-restart-started'));
    expect(section(started, 'Next')).toContain('not finished by 14:42 UTC counts as failed');
    expect(context(started)).toContain(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/leadout-prod/services/tile-server/deployments?region=eu-west-1|ECS service tile-server',
    );
    const failed = renderDecision(loadDecision('tile-restart-failed'));
    expect(header(failed)).toContain('the deployment was rolled back');
    expect(section(failed, 'Next')).toContain('force a new deployment of tile-worker by hand');
    const completed = renderDecision(loadDecision('tile-restart-completed'));
    expect(section(completed, 'Why')).toContain('completed in 3 min 33 s');
  });

  it('GuardFailed gives the error and its consequence', () => {
    const m = renderDecision(loadDecision('guard-failed'));
    expect(section(m, 'Why')).toContain('ThrottlingException: Rate exceeded');
    expect(section(m, 'Next')).toContain('Not approved; the gate stays closed until the next attempt.');
  });

  it('escapes Slack control characters in facts from events', () => {
    const event = loadDecision('guard-failed');
    if (event['detail-type'] !== 'GuardFailed') throw new Error('fixture');
    event.detail.error.message = 'expected <token> & got none';
    expect(section(renderDecision(event), 'Why')).toContain('expected &lt;token&gt; &amp; got none');
  });

  it('omits console links rather than guess a region', () => {
    const event = loadDecision('bake-started');
    delete event.region;
    expect(context(renderDecision(event))).not.toContain('console.aws.amazon.com');
  });
});
