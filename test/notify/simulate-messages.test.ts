import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionContracts } from '../../events/guard/catalog';
import { renderJson, renderText } from '../../simulator/render';
import { runScenario } from '../../simulator/run-scenario';
import { loadScenario } from '../../simulator/scenario';

const dir = join(import.meta.dirname, '../../simulator/scenarios/default');
const defaults = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const decisionTypes = new Set<string>(decisionContracts.map((c) => c.detailType));

describe('simulate shows the Slack messages that would be posted', () => {
  it.each(defaults)('%s: one message per decision, in the readable timeline and in --json', async (file) => {
    // Act
    const run = await runScenario(loadScenario(join(dir, file)));

    // Assess
    const decisions = run.timeline.filter((t) => t.kind === 'emitted' && decisionTypes.has(t.detailType));
    const posted = run.timeline.filter((t) => t.kind === 'slack');
    expect(decisions.length).toBeGreaterThan(0);
    expect(posted).toHaveLength(decisions.length);
    const text = renderText(run);
    expect(text.match(/✉ slack {5}\S/g)).toHaveLength(decisions.length);
    const json = renderJson(run)
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; text?: string; blocks?: unknown[] });
    expect(json.filter((l) => l.kind === 'slack' && l.text && l.blocks?.length)).toHaveLength(
      decisions.length,
    );
  });

  it('prints each message compactly: header, why and next bullets, commit and links', async () => {
    const run = await runScenario(loadScenario(join(dir, '2-superseded.yml')));

    const text = renderText(run);

    expect(text).toMatch(
      /✉ slack {5}Rejected leadout b0b0001 at the Prod gate: superseded\n {22}• \w{8} succeeded in Dev after \w{8}/,
    );
    expect(text).toMatch(
      / {22}• \w{8} enters Prod after its own bake\. Nothing to do\.\n {22}Effects\n {22}• .*done: codepipeline\.PutApprovalResult on pipeline leadout, Prod\/BakeGate of .*\n {22}b0b0001.* · execution \w{8} · execution \w{8} · event /,
    );
  });

  it('a Slack outage changes and delays no safety action (more/slack-outage.yml)', async () => {
    // Prepare: the same scenario with Slack up throughout.
    const outage = loadScenario(join(dir, '../more/slack-outage.yml'));
    const healthy = { ...outage, timeline: outage.timeline.filter((s) => !('slack' in s)) };
    const writes = (run: Awaited<ReturnType<typeof runScenario>>) =>
      run.timeline.flatMap((t) =>
        t.kind === 'aws-call' && t.write && t.service !== 'dynamodb' && t.service !== 'events'
          ? [`${t.at} ${t.service}.${t.operation}`]
          : [],
      );

    // Act
    const [down, up] = [await runScenario(outage), await runScenario(healthy)];

    // Assess: the same pipeline and scheduler writes at the same times; only the messages differ.
    expect(writes(down)).toEqual(writes(up));
    expect(writes(up)).toEqual([
      '+00:10 scheduler.CreateSchedule',
      '+01:10:01 codepipeline.PutApprovalResult',
    ]);
    expect(down.timeline.filter((t) => t.kind === 'slack')).toHaveLength(1);
    expect(up.timeline.filter((t) => t.kind === 'slack')).toHaveLength(2);
    expect(down.results.filter((r) => !r.met)).toEqual([]);
  });

  it('never prints the webhook URL it read from the simulated SSM', async () => {
    const run = await runScenario(loadScenario(join(dir, '1-clean-promotion.yml')));
    const printed = `${renderText(run, { reads: true })}\n${renderJson(run)}`;

    expect(printed).toContain('ssm.GetParameter');
    expect(printed).not.toContain('hooks.slack.com');
  });
});
