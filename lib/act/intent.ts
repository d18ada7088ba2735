import * as z from '../zod';
import { once } from '../lazy';

/**
 * One write a decision makes to the world, as data: the journal stores it before the write, so a retry (or another
 * trigger of the same decision) can finish it without the event that made it.
 */
export type EffectSpec = {
  /** Stable within the intent; later effects name the ones they need by it. */
  id: string;
  /** Which executor performs it (a reaction's `effects.ts`). */
  kind: string;
  /** The AWS call that makes it, `service.Operation`: what a person reads when it fails. */
  call: string;
  /** What it writes to, for a person: `pipeline leadout, stage Prod`. */
  resource: string;
  params: Record<string, unknown>;
  /** When this effect is not done, the decision is announced with its fallback, not its primary announcement. */
  essential?: boolean;
  /** Effects whose result this one needs: skipped when one of them is not done. */
  requires?: string[];
};

/** What became of one effect: each is listed in the decision's one announcement. */
export const effectOutcome = /* @__PURE__ */ once(() =>
  z.object({
    effect: z.string(),
    call: z.string(),
    resource: z.string(),
    outcome: z.enum(['done', 'already-done', 'preempted', 'skipped', 'failed', 'unknown']),
    /** Who or what made the effect unnecessary (`preempted`), or why it was skipped. */
    note: z.optional(z.string()),
    error: z.optional(z.object({ name: z.string(), message: z.string() })),
    /** What a person should do about a `failed` or `unknown` effect. */
    remedy: z.optional(z.string()),
  }),
);
export type EffectOutcome = z.infer<ReturnType<typeof effectOutcome>>;

/** The announcement a decision makes: a detail-type and its detail (already checked against its contract). */
export type Announcement = { detailType: string; detail: Record<string, unknown> };

/** A decision to carry out: its effects in order, what to announce, and what to announce if an essential one fails. */
export type Intent = {
  primary: Announcement;
  fallback?: Announcement;
  effects: EffectSpec[];
};

/** What an executor reports for an effect: done (with facts for the announcement), or not needed any more. */
export type EffectResult =
  | {
      kind: 'done';
      fields?: Record<string, unknown>;
      already?: boolean;
      /** The call that really made it, when it is not the planned one (a restore that fell back to a restart). */
      call?: string;
      /** Who else brought it about (`already`: a person closed Prod first, which is all a block needs). */
      note?: string;
    }
  | { kind: 'preempted'; note: string };

/**
 * Performs one kind of effect. `apply` writes (and throws on failure); `recognise` answers, after an attempt whose
 * outcome is not known (a timeout, a lost response, a dead Lambda), whether the effect is there and whose it is.
 */
export type Executor = {
  apply: (params: never, ctx: EffectContext) => Promise<EffectResult>;
  recognise?: (params: never, ctx: EffectContext) => Promise<EffectResult | 'absent'>;
  /** What a person should do when it failed or its outcome is unknown. */
  remedy: (params: never) => string;
};

export type EffectContext = {
  /** When the intent was first recorded: an effect that appeared after it may be this intent's own. */
  since: Date;
  /** Which attempt at the intent this is: from 2 on, an earlier attempt may have made the effect and lost its answer. */
  attempt?: number;
  /** Fields the effects before this one reported (e.g. the execution a restore started). */
  prior: Record<string, unknown>;
  /**
   * Facts this invocation read in the same round trip as it recorded the intent, for the effects to use instead
   * of reading again (lib/effects/gate.ts `freshProdView`). Only on the intent's first attempt.
   */
  fresh?: Record<string, unknown>;
};

export type Executors = Record<string, Executor>;
