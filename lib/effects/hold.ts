import type { HoldFact } from '../../events/guard/person-command';
import { holdTimerFired, type HoldTimerFired } from '../../events/guard/hold-timer-fired';
import type { EffectSpec, Executor } from '../act/intent';
import type { Holds, OverrideRecord, Overrides } from '../aws/holds';
import { createOneTimeTimer, type SchedulerSender, type TimerTarget } from '../aws/scheduler';

type PlaceParams = { pipeline: string; hold: HoldFact };
type TimerParams = { name: string; payload: HoldTimerFired };
type EndParams = { pipeline: string; holdIds: string[]; by: string; at: string };

export function placeHoldEffect(params: PlaceParams): EffectSpec {
  return {
    id: 'place-hold',
    kind: 'place-hold',
    call: 'dynamodb.PutItem',
    resource: `hold ${params.hold.holdId} on ${params.pipeline}`,
    params,
    essential: true,
  };
}

/** The one-time schedule that ends a hold with `until` by itself. */
export function holdTimerEffect(params: TimerParams): EffectSpec {
  return {
    id: 'hold-timer',
    kind: 'hold-timer',
    call: 'scheduler.CreateSchedule',
    resource: `hold timer ${params.name}`,
    params,
    requires: ['place-hold'],
  };
}

export function endHoldsEffect(params: EndParams): EffectSpec {
  return {
    id: 'end-holds',
    kind: 'end-holds',
    call: 'dynamodb.UpdateItem',
    resource: `${params.holdIds.length === 1 ? 'hold' : 'holds'} ${params.holdIds.join(', ')} on ${params.pipeline}`,
    params,
    essential: true,
  };
}

/** promote-now: the record the gate trusts (never the event that announces it). */
export function recordOverrideEffect(params: OverrideRecord): EffectSpec {
  return {
    id: 'record-override',
    kind: 'record-override',
    call: 'dynamodb.PutItem',
    resource: `promote-now of ${params.pipeline} ${params.executionId}`,
    params,
    essential: true,
  };
}

export type HoldEffectDeps = {
  overrides: Pick<Overrides, 'record' | 'get'>;
  holds: Pick<Holds, 'place' | 'end' | 'list'>;
  scheduler: SchedulerSender;
  timerTarget: TimerTarget;
};

/** Each write is idempotent (a hold id is placed once, ended once; a schedule name is unique). */
export function holdExecutors(deps: HoldEffectDeps): Record<string, Executor> {
  return {
    'place-hold': {
      async apply(p: PlaceParams) {
        const placed = await deps.holds.place(p.pipeline, p.hold);
        return { kind: 'done', already: placed === 'exists' };
      },
      // A write whose answer was lost: the hold is there, or it is not.
      async recognise(p: PlaceParams) {
        const holds = await deps.holds.list(p.pipeline);
        return holds.some((h) => h.holdId === p.hold.holdId) ? { kind: 'done', already: true } : 'absent';
      },
      remedy: (p: PlaceParams) =>
        `${p.pipeline} is not held: run the hold again, or reject the Prod gate by hand`,
    },
    'hold-timer': {
      async apply(p: TimerParams) {
        const created = await createOneTimeTimer(deps.scheduler, deps.timerTarget, {
          name: p.name,
          fireAt: new Date(p.payload.until),
          detailType: holdTimerFired.detailType,
          payload: p.payload,
          description: `End of hold ${p.payload.holdId} on ${p.payload.pipeline}`,
        });
        return { kind: 'done', already: created === 'exists' };
      },
      remedy: (p: TimerParams) =>
        `the hold does not end by itself at ${p.payload.until}: the gate ignores it from then on, and the reconciler hands a baked execution to the gate within minutes; or run release-hold`,
    },
    'record-override': {
      async apply(p: OverrideRecord) {
        await deps.overrides.record(p);
        return { kind: 'done' };
      },
      async recognise(p: OverrideRecord) {
        const o = await deps.overrides.get(p.pipeline, p.executionId);
        return o?.at === p.at ? { kind: 'done', already: true } : 'absent';
      },
      remedy: (p: OverrideRecord) =>
        `the promote-now of ${p.executionId} is not recorded, so the gate will not let it through: run it again, or approve the gate by hand`,
    },
    'end-holds': {
      async apply(p: EndParams) {
        let ended = 0;
        for (const id of p.holdIds) if (await deps.holds.end(p.pipeline, id, p.by, new Date(p.at))) ended++;
        return { kind: 'done', already: ended === 0 };
      },
      async recognise(p: EndParams) {
        const holds = await deps.holds.list(p.pipeline);
        const open = holds.filter((h) => p.holdIds.includes(h.holdId) && !h.endedAt);
        return open.length === 0 ? { kind: 'done', already: true } : 'absent';
      },
      remedy: (p: EndParams) => `${p.pipeline} may still be held: run release-hold again`,
    },
  };
}
