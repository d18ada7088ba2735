import { readdirSync, readFileSync } from 'node:fs';
import { decisionEvent, type DecisionEvent } from '../../events/guard/decision-event';

const dir = new URL('../fixtures/guard/decisions/', import.meta.url);

/** The project's own decision events (test/fixtures/guard/decisions), by file name without `.json`. */
export const decisionFixtureNames = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** A fresh, contract-checked copy of a decision fixture. */
export function loadDecision(name: string): DecisionEvent {
  return decisionEvent.parse(JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'))) as DecisionEvent;
}

/** The raw JSON, for handler tests that must see what EventBridge delivers. */
export function rawDecision(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Record<string, unknown>;
}
