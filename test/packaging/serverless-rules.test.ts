import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGuardConfig } from '../../config/schema';
import { functionRules, type Rule } from '../../events/rules';

type EventBridgeEvent = {
  eventBridge: {
    name?: string;
    eventBus?: unknown;
    pattern?: unknown;
    retryPolicy?: { maximumEventAge?: number; maximumRetryAttempts?: number };
    deadLetterQueueArn?: unknown;
  };
};
type Bridge = {
  functionEventsForStage: (stage: string) => Record<string, EventBridgeEvent[]>;
  LOGICAL_IDS: { bus: string; deadLetterQueue: string };
};

const root = fileURLToPath(new URL('../../', import.meta.url));
const bridge = createRequire(import.meta.url)('../../config/serverless-vars.cjs') as Bridge;
const guardBus = { 'Fn::GetAtt': [bridge.LOGICAL_IDS.bus, 'Name'] };

const stages = readdirSync(`${root}config/stages`)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.slice(0, -'.yml'.length));

function expectedRules(stage: string): Record<string, Rule[]> {
  const raw: unknown = parse(readFileSync(`${root}config/stages/${stage}.yml`, 'utf8'));
  return functionRules(parseGuardConfig(raw));
}

/** Back from serverless `eventBridge` events to functionRules' shape; an unknown bus stays visible in a diff. */
function asRules(events: EventBridgeEvent[] | undefined): { bus: unknown; pattern: unknown }[] {
  return (events ?? []).map(({ eventBridge: e }) => ({
    bus:
      e.eventBus === undefined
        ? 'default'
        : JSON.stringify(e.eventBus) === JSON.stringify(guardBus)
          ? 'guard'
          : e.eventBus,
    pattern: e.pattern,
  }));
}

describe('config/serverless-vars.cjs', () => {
  it('finds the stage files', () => {
    expect(stages).toContain('example');
  });

  it.each(stages)('gives serverless exactly functionRules(config) for stage %s', (stage) => {
    const expected = expectedRules(stage);
    const events = bridge.functionEventsForStage(stage);

    expect(Object.keys(events).sort()).toEqual(Object.keys(expected).sort());
    for (const [fn, rules] of Object.entries(expected)) {
      expect(asRules(events[fn]), fn).toEqual(rules);
    }
  });

  it('gives every EventBridge target a retry policy and the dead-letter queue', () => {
    const targets = Object.values(bridge.functionEventsForStage('example')).flat();

    expect(targets.length).toBeGreaterThan(0);
    for (const { eventBridge: e } of targets) {
      expect(e.retryPolicy?.maximumEventAge).toBeGreaterThanOrEqual(60);
      expect(e.retryPolicy?.maximumRetryAttempts).toBeGreaterThan(0);
      expect(e.deadLetterQueueArn).toEqual({ 'Fn::GetAtt': [bridge.LOGICAL_IDS.deadLetterQueue, 'Arn'] });
    }
  });

  it('names the available stages when a stage has no file', () => {
    expect(() => bridge.functionEventsForStage('no-such-stage')).toThrow(/Available stages: .*example/);
  });
});

describe('sls print --stage example', () => {
  let printed: { functions?: Record<string, { events?: EventBridgeEvent[] }> };

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(
      `${root}node_modules/.bin/sls`,
      ['print', '--stage', 'example', '--format', 'json'],
      {
        cwd: root,
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    printed = JSON.parse(stdout) as typeof printed;
  }, 60_000);

  it('shows the functions the same EventBridge patterns', () => {
    const expected = expectedRules('example');

    for (const [fn, rules] of Object.entries(expected)) {
      const events = printed.functions?.[fn]?.events?.filter((e) => e.eventBridge?.pattern !== undefined);
      expect(asRules(events), fn).toEqual(rules);
    }
  });
});
