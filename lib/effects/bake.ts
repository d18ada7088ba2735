import type { BakeTimerFired } from '../../events/guard/bake-timer-fired';
import type { EffectSpec, Executor } from '../act/intent';
import type { Ledger, ReleaseRecord } from '../aws/ledger';
import type { BakeTimers } from '../aws/scheduler';

type TimerParams = { name: string; fireAt: string; payload: BakeTimerFired };

/** What the gate will trust about E's bake: when it left Dev, when its bake ends, its commit. */
export function recordReleaseEffect(release: ReleaseRecord): EffectSpec {
  return {
    id: 'record-release',
    kind: 'record-release',
    call: 'dynamodb.PutItem',
    resource: `the guard's release record of ${release.pipeline} ${release.executionId}`,
    params: release,
    essential: true,
  };
}

/** A one-time timer that hands E to the gate: at the bake's end, or (id `open-timer`) when a freeze opens. */
export function bakeTimerEffect(
  params: TimerParams,
  options: { id?: string; essential?: boolean } = {},
): EffectSpec {
  return {
    id: options.id ?? 'bake-timer',
    kind: 'bake-timer',
    call: 'scheduler.CreateSchedule',
    resource: `${options.id === 'open-timer' ? 'freeze-end timer' : 'bake timer'} ${params.name}`,
    params,
    essential: options.essential ?? true,
  };
}

export type BakeEffectDeps = {
  ledger: Pick<Ledger, 'recordRelease'>;
  timers: Pick<BakeTimers, 'createBakeTimer'>;
};

/** Both writes are idempotent (first writer wins; a schedule's name is unique): doing them again is recognising them. */
export function bakeExecutors(deps: BakeEffectDeps): Record<string, Executor> {
  return {
    'record-release': {
      async apply(release: ReleaseRecord) {
        const recorded = await deps.ledger.recordRelease(release);
        return { kind: 'done', already: recorded === 'exists' };
      },
      remedy: (r: ReleaseRecord) =>
        `the guard will not approve ${r.executionId} (it has no record of its bake): approve its Prod gate by hand after the bake`,
    },
    'bake-timer': {
      async apply(p: TimerParams) {
        const created = await deps.timers.createBakeTimer(p.name, new Date(p.fireAt), p.payload);
        return { kind: 'done', already: created === 'exists' };
      },
      remedy: (p: TimerParams) =>
        p.name.startsWith('open-')
          ? `no timer marks the freeze's end for ${p.payload.executionId}: the reconciler hands it to the gate within reconcileMinutes of the opening`
          : `no timer ends the bake of ${p.payload.executionId}: the reconciler hands it to the gate once baked, or approve it by hand`,
    },
  };
}
