import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison, GuardAction } from '../../simulator/backtest/compare';
import { when } from '../../simulator/backtest/what-people-did';
import { backtest, runBacktest } from '../../simulator/backtest/run-backtest';
import { loadConfig, loadStage } from '../../simulator/stage-config';

const history = join(import.meta.dirname, '../fixtures/backtest/history-3-days.json');
const TILES = 'leadout-prod/tile-server, leadout-prod/tile-worker';

/** Each guard action as `kind at [detail]`, times in UTC to the minute. */
function actions(c: Comparison): Record<string, string[]> {
  const text = (g: GuardAction) => {
    const detail =
      g.kind === 'block' || g.kind === 'reject-alarm'
        ? ` ${g.alarm}`
        : g.kind === 'reject-superseded'
          ? ` by ${g.by.slice(0, 7)}`
          : g.kind === 'rollback'
            ? ` to ${g.to.slice(0, 7)} ${g.path}`
            : g.kind === 'restart-tiles'
              ? ` ${g.services.join(', ')}`
              : '';
    return `${g.kind} ${when(g.at)}${detail}`;
  };
  return Object.fromEntries(c.executions.map((e) => [e.commit.slice(0, 7), e.guard.map(text)]));
}

describe('backtest: the replay of a recorded 3-day history', () => {
  // Written by hand from the product's rules, not by running the code. The story (test/fixtures/backtest):
  // Mon 1111aaa clean (Dev 09:10, ana approves 10:25); 2222bbb bakes from 13:10, api-5xx fires 13:40-13:50 at
  // the gate, ana approves 14:20 anyway. Tue 3333ccc (Dev 09:10) is overtaken by 4444ddd (Dev 09:40, gate 10:20,
  // approved 10:45 by someone unrecorded); 5555eee (Dev 13:10) is overtaken by 6666fff (Dev 13:30, superseded
  // 13:50 by 7777abc: Dev 13:50, gate 14:20, carol 14:55). Wed 8888def (Dev 09:10, dave 10:20) fails in Prod
  // 10:25, dave rolls back to 7777abc at 10:40; aaaa111 waits at the gate from 15:05 and the composite
  // leadout-dev-health fires 15:15; the export ends 15:30.
  it('with config/stages/example.yml (60-minute bake)', async () => {
    // Act
    const { comparison } = await backtest(history, loadStage('example'));

    // Assess: bake 60 min from the Dev success; timers fire then (the gate already waits).
    expect(actions(comparison)).toEqual({
      '1111aaa': ['approve 11-23 10:10', `restart-tiles 11-23 10:30 ${TILES}`],
      '2222bbb': [
        'block 11-23 13:40 leadout-dev-api-5xx',
        'reject-alarm 11-23 14:10 leadout-dev-api-5xx',
        `restart-tiles 11-23 14:25 ${TILES}`,
      ],
      '3333ccc': ['reject-superseded 11-24 10:10 by 4444ddd', `restart-tiles 11-24 10:20 ${TILES}`],
      '4444ddd': ['approve 11-24 10:40', `restart-tiles 11-24 10:50 ${TILES}`],
      '5555eee': ['reject-superseded 11-24 14:10 by 7777abc', `restart-tiles 11-24 14:20 ${TILES}`],
      '6666fff': [],
      '7777abc': ['approve 11-24 14:50', `restart-tiles 11-24 15:00 ${TILES}`],
      '8888def': ['approve 11-25 10:10', 'rollback 11-25 10:25 to 7777abc rollback-stage'],
      aaaa111: ['block 11-25 15:15 leadout-dev-health'],
    });
    expect(comparison.executions.map((e) => [e.commit.slice(0, 7), e.verdict])).toEqual([
      ['1111aaa', 'sooner'],
      ['2222bbb', 'stopped'],
      ['3333ccc', 'stopped'],
      ['4444ddd', 'sooner'],
      ['5555eee', 'stopped'],
      ['6666fff', 'none'],
      ['7777abc', 'sooner'],
      ['8888def', 'sooner'],
      ['aaaa111', 'same'],
    ]);
    const people = Object.fromEntries(comparison.executions.map((e) => [e.commit.slice(0, 7), e.people]));
    expect(people['6666fff']).toEqual(['superseded at 11-24 13:50 before it reached the gate']);
    expect(people['8888def']).toEqual([
      'approved by dave at 11-25 10:20',
      'failed in Prod at 11-25 10:25',
      'rolled back by ManualRollback to 7777abc 7acd6cbb at 11-25 10:40',
    ]);
    expect(people.aaaa111).toEqual(['waiting at the gate when the history ends']);
    // A fact the history lacks is said, per execution.
    expect(comparison.executions.find((e) => e.commit.startsWith('4444ddd'))?.missing).toEqual([
      'who answered BakeGate is not recorded (no updatedBy)',
    ]);
    expect(comparison.notReplayed.map((n) => [n.commit, n.why])).toEqual([
      [
        '7777abc 9cef8edd',
        'a rollback to execution 7acd6cbb (ManualRollback): not replayed, the guard decides its own',
      ],
    ]);
    // 15 + 5 + 5 + 10 minutes, less the second each bake timer fires after the bake's end.
    expect(comparison.summary).toEqual({
      executions: 9,
      stopped: { onAlarm: 1, superseded: 2 },
      sooner: 4,
      later: 0,
      savedMs: 35 * 60_000 - 4_000,
      rollbacks: 1,
    });
  });

  it('with bakeMinutes: 45 (--config): earlier approvals, the same stops', async () => {
    // Act
    const { comparison } = await backtest(
      history,
      loadConfig(join(import.meta.dirname, '../fixtures/backtest/stage-bake-45.yml')),
    );

    // Assess: 4444ddd's bake ends 10:25, after it reached the gate (10:20); 7777abc's at 14:35 (gate 14:20).
    const gate = Object.fromEntries(
      Object.entries(actions(comparison)).map(([commit, list]) => [commit, list[0] ?? 'nothing']),
    );
    expect(gate).toEqual({
      '1111aaa': 'approve 11-23 09:55',
      '2222bbb': 'block 11-23 13:40 leadout-dev-api-5xx',
      '3333ccc': 'reject-superseded 11-24 09:55 by 4444ddd',
      '4444ddd': 'approve 11-24 10:25',
      '5555eee': 'reject-superseded 11-24 13:55 by 7777abc',
      '6666fff': 'nothing',
      '7777abc': 'approve 11-24 14:35',
      '8888def': 'approve 11-25 09:55',
      aaaa111: 'block 11-25 15:15 leadout-dev-health',
    });
    // 30 + 20 + 20 + 25 minutes.
    expect(Math.round(comparison.summary.savedMs / 60_000)).toBe(95);
    expect(comparison.summary.stopped).toEqual({ onAlarm: 1, superseded: 2 });
  });

  it('replays a Change Calendar the export cannot read as open, and says so', async () => {
    // Act
    const { comparison } = await backtest(
      history,
      loadConfig(join(import.meta.dirname, '../fixtures/backtest/stage-calendar.yml')),
    );

    // Assess
    expect(comparison.notes).toContain(
      'Change Calendars leadout-prod-changes: not in the history, replayed as open',
    );
    expect(actions(comparison)['1111aaa']?.[0]).toBe('approve 11-23 10:10');
  });

  it('rolls back by a restart when the failed execution ran in another structure version than the last good one', async () => {
    // Prepare: the pipeline was edited before 8888def (version 4); 7777abc, the last good one, ran in version 3.
    const edited = JSON.parse(readFileSync(history, 'utf8')) as {
      pipelines: { actionExecutions: { pipelineExecutionId: string; pipelineVersion: number }[] }[];
    };
    for (const a of edited.pipelines[0]!.actionExecutions) {
      if (a.pipelineExecutionId.startsWith('8bde7dcc') || a.pipelineExecutionId.startsWith('adf09fee'))
        a.pipelineVersion = 4;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'backtest-')), 'history.json');
    writeFileSync(file, JSON.stringify(edited));

    // Act
    const { comparison } = await backtest(file, loadStage('example'));

    // Assess: RollbackStage needs the same structure version; otherwise the guard restarts with 7777abc's revisions.
    expect(actions(comparison)['8888def']).toEqual([
      'approve 11-25 10:10',
      'rollback 11-25 10:25 to 7777abc restart',
    ]);
  });

  it('refuses a file that is not an export-history document, naming what is wrong (exit 2)', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'backtest-')), 'history.json');
    writeFileSync(file, JSON.stringify({ version: 2, pipelines: [] }));
    const printed: string[] = [];
    const errors: string[] = [];

    // Act
    const code = await runBacktest(file, loadStage('example'), {
      json: false,
      print: (t) => printed.push(t),
      error: (t) => errors.push(t),
    });

    // Assess
    expect(code).toBe(2);
    expect(printed).toEqual([]);
    expect(errors[0]).toMatch(
      /is not an export-history document \(version 1\): version: Invalid input: expected 1;/,
    );
  });
});
