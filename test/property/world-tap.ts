/**
 * Ground truth for the property tests: every AWS event the simulated world emits (CodePipeline stage and
 * action changes, CloudWatch alarm changes), recorded at the moment it happens, before EventBridge loses,
 * duplicates or reorders it. The guard never sees this record; the oracle judges the guard against it.
 */
import { World } from '../../simulator/world/world';

export type WorldEvent = {
  atMs: number;
  source: string;
  detailType: string;
  resources: string[];
  detail: Record<string, unknown>;
};

let sink: WorldEvent[] | undefined;
const original = World.prototype.awsEvent;

/** Wraps World#awsEvent for the duration of a test file; returns the uninstaller. */
export function installWorldTap(): () => void {
  World.prototype.awsEvent = function (
    this: World,
    source: string,
    detailType: string,
    resources: string[],
    detail: Record<string, unknown>,
  ): void {
    sink?.push({ atMs: this.clock.nowMs(), source, detailType, resources: [...resources], detail });
    original.call(this, source, detailType, resources, detail);
  };
  return () => {
    World.prototype.awsEvent = original;
  };
}

/** Runs `body` (one scenario run, never concurrent with another) and returns what the world emitted. */
export async function tapped<T>(body: () => Promise<T>): Promise<{ result: T; emitted: WorldEvent[] }> {
  const emitted: WorldEvent[] = [];
  sink = emitted;
  try {
    return { result: await body(), emitted };
  } finally {
    sink = undefined;
  }
}
