/**
 * Ground truth for invariant 2: every change of a stage transition in the simulated pipeline, in order, with who
 * made it (the guard function whose call it was, or the person of a scenario step) and the reason it carried.
 */
import { PipelineModel } from '../../simulator/world/codepipeline-world';

export type TransitionChange = { atMs: number; stage: string; enabled: boolean; reason?: string; by: string };

/** Each change with the world it happened in: a plan may be run more than once (see runResolved). */
let sink: { world: unknown; change: TransitionChange }[] | undefined;
const original = PipelineModel.prototype.setTransition;

/** Wraps PipelineModel#setTransition for the duration of a test file; returns the uninstaller. */
export function installTransitionTap(): () => void {
  PipelineModel.prototype.setTransition = function (
    this: PipelineModel,
    stageName: string,
    enabled: boolean,
    reason: string | undefined,
    by: string,
  ): void {
    // @ts-expect-error -- the world is private to the model; the tap only reads its clock
    const world = this.world as { clock: { nowMs(): number } };
    sink?.push({ world, change: { atMs: world.clock.nowMs(), stage: stageName, enabled, reason, by } });
    original.call(this, stageName, enabled, reason, by);
  };
  return () => {
    PipelineModel.prototype.setTransition = original;
  };
}

/** Runs `body` (scenario runs one at a time) and returns the transition changes of its last run's world. */
export async function transitionsOf<T>(
  body: () => Promise<T>,
): Promise<{ result: T; changes: TransitionChange[] }> {
  const seen: { world: unknown; change: TransitionChange }[] = [];
  sink = seen;
  try {
    const result = await body();
    const last = seen.at(-1)?.world;
    return { result, changes: seen.filter((s) => s.world === last).map((s) => s.change) };
  } finally {
    sink = undefined;
  }
}

/**
 * Invariant 2: the guard enables only a transition that it disabled itself, and that nobody changed since; and
 * it never disables over someone else's disable (which would make that block its own to lift).
 */
export function invariant2Violations(
  changes: TransitionChange[],
  guardFunctions: ReadonlySet<string>,
): string[] {
  const violations: string[] = [];
  const holder = new Map<string, string | undefined>();
  for (const c of changes) {
    const current = holder.get(c.stage);
    const guard = guardFunctions.has(c.by);
    const at = new Date(c.atMs).toISOString();
    if (guard && c.enabled && (current === undefined || !guardFunctions.has(current))) {
      violations.push(
        `${at}: ${c.by} enabled ${c.stage}, ${current ? `disabled by ${current}` : 'which was open'}`,
      );
    }
    if (guard && !c.enabled && current !== undefined && !guardFunctions.has(current)) {
      violations.push(`${at}: ${c.by} disabled ${c.stage} over ${current}'s disable`);
    }
    holder.set(c.stage, c.enabled ? undefined : c.by);
  }
  return violations;
}
