import type { z } from '../zod';
import type { GuardContract } from '../../events/guard/guard-event';
import { guardFailed } from '../../events/guard/guard-failed';
import type { GuardBus } from '../aws/guard-bus';
import { describeError, isTransientAwsError, TransientAwsError } from '../errors';
import type { GuardLogger } from '../reaction';
import type { DynamoSender } from '../aws/ledger';
import type { JournalOwner } from '../aws/partitions';
import { LAMBDA_ATTEMPTS, makeAttemptCounter, type AttemptCounter } from './attempts';
import { callOf } from './calls';
import type {
  Announcement,
  EffectOutcome,
  EffectResult,
  EffectSpec,
  Executor,
  Executors,
  Intent,
} from './intent';
import { LEASE_MS, makeJournal, type DecisionKey, type Journal, type JournalEntry } from './journal';

export type ActorDeps = {
  journal: Journal;
  bus: Pick<GuardBus, 'emitStored'>;
  attempts: AttemptCounter;
  executors: Executors;
  logger: GuardLogger;
  now: () => Date;
};

/** Which invocation is acting: the reaction and the event it handles (Lambda retries deliver the same id). */
/**
 * `final`: nothing will retry this invocation (a function URL call is synchronous: Lambda does not retry it), so
 * every attempt is the last one: a failed effect is announced now, with what is known, not left for a retry.
 */
export type Invocation = { reaction: string; eventId: string; final?: boolean };

export type ActOutcome = 'announced' | 'duplicate';

/** An announcement checked against its contract, with the decision key the notifier posts once for. */
export function announcement<T extends string, D extends z.ZodMiniType>(
  key: DecisionKey,
  contract: GuardContract<T, D>,
  detail: z.input<D>,
): Announcement {
  return {
    detailType: contract.detailType,
    detail: contract.detail.parse({ ...(detail as object), decisionKey: key.id }) as Record<string, unknown>,
  };
}

/**
 * Intent, act, confirm, announce — the one place every reaction's writes go through (docs/design.md, invariant 5).
 *
 * The intent (effects and announcement) is recorded before the first write. A retry, a duplicate or another trigger
 * of the same decision finds it and carries it on: effects an earlier attempt may have made are first recognised
 * in the world, never assumed. A transient failure is thrown while Lambda has retries left; on the last attempt,
 * or for a refusal (access, validation), the effect is recorded as failed and the decision is still announced,
 * listing what was done and what failed. Announcing is: store the outcome, put it on the bus, mark it announced.
 */
export function makeActor(deps: ActorDeps) {
  const { journal, logger } = deps;

  async function carryOut(
    entry: JournalEntry,
    invocation: Invocation,
    fresh?: Record<string, unknown>,
  ): Promise<ActOutcome> {
    let final = entry.final;
    let outcomes = entry.outcomes ?? [];
    try {
      if (entry.state === 'pending' || !final) {
        ({ final, outcomes } = await runEffects(entry, invocation, fresh));
        await recordActed(entry, final, outcomes);
      }
      await deps.bus.emitStored(final.detailType, JSON.stringify(final.detail));
      await journal.markAnnounced(entry, deps.now());
    } catch (error) {
      await journal.release(entry, deps.now()).catch(() => undefined);
      throw error;
    }
    logger.info('Decision announced', {
      decisionKey: entry.key.id,
      detailType: final.detailType,
      effects: outcomes.map((o) => `${o.effect}: ${o.outcome}`),
    });
    return 'announced';
  }

  /**
   * The effects are done; if their outcome cannot be stored, announce it anyway before throwing: the retry finds
   * the effects in the world and announces again under the same key (the notifier posts once per key), rather
   * than a write staying unannounced while the ledger is down.
   */
  async function recordActed(entry: JournalEntry, final: Announcement, outcomes: EffectOutcome[]) {
    try {
      await journal.markActed(entry, final, outcomes);
    } catch (error) {
      if (outcomes.length > 0) {
        await deps.bus.emitStored(final.detailType, JSON.stringify(final.detail)).catch(() => undefined);
      }
      throw error;
    }
  }

  async function runEffects(
    entry: JournalEntry,
    invocation: Invocation,
    fresh: Record<string, unknown> | undefined,
  ): Promise<{ final: Announcement; outcomes: EffectOutcome[] }> {
    const outcomes: EffectOutcome[] = [];
    const byId = new Map<string, EffectOutcome>();
    const prior: Record<string, unknown> = {};
    for (const effect of entry.intent.effects) {
      const missing = (effect.requires ?? []).filter((id) => !isDone(byId.get(id)));
      if (missing.length > 0) {
        outcomes.push({ ...describe(effect), outcome: 'skipped', note: `needs ${missing.join(', ')}` });
        continue;
      }
      const outcome = await runEffect(entry, effect, prior, invocation, fresh);
      outcomes.push(outcome.outcome);
      byId.set(effect.id, outcome.outcome);
      Object.assign(prior, outcome.fields);
    }
    return { final: finalAnnouncement(entry.intent, outcomes, prior), outcomes };
  }

  async function runEffect(
    entry: JournalEntry,
    effect: EffectSpec,
    prior: Record<string, unknown>,
    invocation: Invocation,
    fresh: Record<string, unknown> | undefined,
  ): Promise<{ outcome: EffectOutcome; fields?: Record<string, unknown> }> {
    const executor = deps.executors[effect.kind];
    if (!executor) throw new Error(`no executor for effect ${effect.kind}`);
    // Facts read alongside the intent are this attempt's own: a later attempt reads the world again.
    const ctx = {
      since: entry.createdAt,
      attempt: entry.attempt,
      prior,
      ...(entry.attempt === 1 && fresh ? { fresh } : {}),
    };
    const params = effect.params as never;
    try {
      // An earlier attempt may have made this effect and died, or lost the answer: look before writing again.
      const seen = entry.attempt > 1 && executor.recognise ? await executor.recognise(params, ctx) : 'absent';
      const result = seen === 'absent' ? await executor.apply(params, ctx) : alreadyDone(seen);
      return fromResult(effect, result);
    } catch (error) {
      if (isTransientAwsError(error) && !(await lastAttempt(invocation, entry))) {
        logger.warn('Effect failed for now: Lambda retries the event', {
          effect: effect.kind,
          error: describeError(error),
        });
        throw new TransientAwsError(`${effect.call} failed: retried`, { cause: error });
      }
      return { outcome: await failedOutcome(effect, executor, ctx, error) };
    }
  }

  /** The write failed for good, or this was the last try. If it may have taken effect, look once more. */
  async function failedOutcome(
    effect: EffectSpec,
    executor: Executor,
    ctx: { since: Date; prior: Record<string, unknown> },
    error: unknown,
  ): Promise<EffectOutcome> {
    const params = effect.params as never;
    const base = { ...describe(effect), error: describeError(error), remedy: executor.remedy(params) };
    logger.error('Effect failed', { effect: effect.kind, call: effect.call, error: describeError(error) });
    if (!isTransientAwsError(error) || !executor.recognise) return { ...base, outcome: 'failed' };
    try {
      const seen = await executor.recognise(params, ctx);
      if (seen === 'absent') return { ...base, outcome: 'failed' };
      return fromResult(effect, alreadyDone(seen)).outcome;
    } catch {
      return { ...base, outcome: 'unknown' };
    }
  }

  async function lastAttempt(invocation: Invocation, entry?: JournalEntry): Promise<boolean> {
    if (invocation.final) return true;
    const counted = await deps.attempts.failedAgain(invocation.reaction, invocation.eventId);
    return counted || (entry?.attempt ?? 0) >= LAMBDA_ATTEMPTS;
  }

  async function opened(
    result: Awaited<ReturnType<Journal['open']>>,
    key: DecisionKey,
  ): Promise<JournalEntry | 'announced'> {
    if (result.kind === 'announced') {
      logger.info('Already announced: a duplicate', { decisionKey: key.id });
      return 'announced';
    }
    if (result.kind === 'busy') {
      // Another invocation holds this decision right now; if it dies, its lease runs out before our retry.
      throw new TransientAwsError(`decision ${key.id} is being carried out by another invocation`);
    }
    return result.entry;
  }

  return {
    /** Carries out this decision once: its intent is recorded first, or the one recorded earlier is resumed. */
    async act(key: DecisionKey, intent: Intent, invocation: Invocation): Promise<ActOutcome> {
      const entry = await opened(await journal.open(key, intent, deps.now()), key);
      if (entry === 'announced') return 'duplicate';
      try {
        return await carryOut(entry, invocation);
      } catch (error) {
        if (!invocation.final || !isTransientAwsError(error)) throw error;
        // Nothing retries a final invocation (a function URL call): resume once, as Lambda's retry would. Effects
        // already made are recognised, not made again; the announcement goes out under the same key.
        logger.warn('A final invocation resumes its decision once', {
          decisionKey: key.id,
          error: describeError(error),
        });
        const again = await journal.resume(key, deps.now());
        if (!again) throw error;
        const resumed = await opened(again, key);
        if (resumed === 'announced') return 'duplicate';
        return carryOut(resumed, invocation);
      }
    },

    /**
     * `act` in two halves, for a decision whose intent is recorded in the same round trip as the read that decides
     * whether it stands (the alarm gate's block: Prod closed in the round trip after). `fresh`: recorded by this
     * call, nothing tried yet, so the caller may still `drop` it; otherwise an earlier attempt or another trigger
     * recorded it, and it is to be carried on whatever this invocation now decides (its effects are recognised in
     * the world, never assumed).
     */
    async begin(key: DecisionKey, intent: Intent): Promise<Begun | 'duplicate'> {
      const entry = await opened(await journal.open(key, intent, deps.now()), key);
      if (entry === 'announced') return 'duplicate';
      // A taken-over intent has attempt ≥ 2 (journal.ts takeOver): attempt 1 is the one this call recorded.
      return { entry, fresh: entry.attempt === 1 };
    },

    /** The second half: the effects (with the facts read alongside the intent), then the announcement. */
    async carry(begun: Begun, invocation: Invocation, fresh?: Record<string, unknown>): Promise<ActOutcome> {
      return carryOut(begun.entry, invocation, begun.fresh ? fresh : undefined);
    },

    /**
     * A fresh intent the decision went against: removed unannounced, as if never recorded (no effect was tried).
     * Throws when the journal cannot remove it: Lambda's retry then finds it and carries it on (a block is always
     * safe, and it is announced), rather than leaving it for the reconciler to report as interrupted.
     */
    async drop(begun: Begun): Promise<void> {
      if (!begun.fresh) throw new Error(`decision ${begun.entry.key.id} is not this invocation's to drop`);
      if (!(await journal.discard(begun.entry))) {
        logger.warn('A dropped intent was taken over meanwhile: its holder carries it on', {
          decisionKey: begun.entry.key.id,
        });
      }
    },

    /** Finishes an unfinished decision recorded under this key, if there is one (the world says it is decided). */
    /**
     * An earlier attempt's intent that the decision now reached replaces (promote: approve became reject, or the
     * reverse): closed unannounced, the caller guaranteeing that none of its effects took effect — the event's one
     * outcome is the new decision's announcement.
     */
    async withdraw(key: DecisionKey, replacedBy: DecisionKey): Promise<void> {
      if (await journal.withdraw(key, replacedBy, deps.now())) {
        logger.info('Withdrew an intent a later decision replaced', {
          decisionKey: key.id,
          replacedBy: replacedBy.id,
        });
      }
    },

    /**
     * A reaction about to throw for Lambda's retry without having acted (promote: the gate has no token yet)
     * counts the failed attempt like any other; true when it is the last, so the caller ends instead of throwing
     * the event into the dead-letter queue.
     */
    async failedAttempt(invocation: Invocation): Promise<boolean> {
      return lastAttempt(invocation);
    },

    async resume(key: DecisionKey, invocation: Invocation): Promise<ActOutcome | 'none'> {
      const result = await journal.resume(key, deps.now());
      if (!result) return 'none';
      const entry = await opened(result, key);
      if (entry === 'announced') return 'duplicate';
      return carryOut(entry, invocation);
    },

    /**
     * `failedToDecide` with the usual report: a GuardFailed of this reaction naming the call that failed.
     */
    async couldNotDecide(
      key: DecisionKey,
      error: unknown,
      invocation: Invocation,
      report: { mode: 'observe' | 'enforce'; pipeline: string; executionId?: string; consequence: string },
    ): Promise<ActOutcome> {
      const failure = announcement(key, guardFailed, {
        ...report,
        reaction: invocation.reaction,
        ...failureFields(error),
      });
      return this.failedToDecide(key, error, invocation, failure);
    },

    /**
     * A fact the decision needs could not be read. Thrown while Lambda has retries left (transient); otherwise the
     * decision is announced as GuardFailed under its key, naming the call — once, whatever the duplicates.
     */
    async failedToDecide(
      key: DecisionKey,
      error: unknown,
      invocation: Invocation,
      failure: Announcement,
    ): Promise<ActOutcome> {
      if (isTransientAwsError(error) && !(await lastAttempt(invocation))) {
        logger.warn('A fact could not be read for now: Lambda retries the event', {
          error: describeError(error),
        });
        throw new TransientAwsError('facts could not be read: retried', { cause: error });
      }
      logger.error('Decision failed', { decisionKey: key.id, error: describeError(error) });
      return this.act(key, { primary: failure, effects: [] }, invocation);
    },
  };
}

export type Actor = ReturnType<typeof makeActor>;

/** An intent `begin` opened: recorded by this invocation (`fresh`), or an earlier one's taken over. */
export type Begun = { entry: JournalEntry; fresh: boolean };

/** The `error` / `call` fields a GuardFailed carries for a failure before any decision. */
export function failureFields(error: unknown): { error: { name: string; message: string }; call?: string } {
  return { error: describeError(error), call: callOf(error) };
}

const isDone = (o: EffectOutcome | undefined) => o?.outcome === 'done' || o?.outcome === 'already-done';

const describe = (effect: EffectSpec) => ({
  effect: effect.kind,
  call: effect.call,
  resource: effect.resource,
});

function alreadyDone(seen: EffectResult): EffectResult {
  return seen.kind === 'done' ? { ...seen, already: true } : seen;
}

function fromResult(
  effect: EffectSpec,
  result: EffectResult,
): { outcome: EffectOutcome; fields?: Record<string, unknown> } {
  if (result.kind === 'preempted') {
    return { outcome: { ...describe(effect), outcome: 'preempted', note: result.note } };
  }
  return {
    outcome: {
      ...describe(effect),
      ...(result.call ? { call: result.call } : {}),
      outcome: result.already ? 'already-done' : 'done',
      ...(result.note ? { note: result.note } : {}),
    },
    fields: result.fields,
  };
}

/**
 * The one announcement: the primary one with what the effects reported, or — when an essential effect is not
 * done — the fallback, naming the first such effect's call, resource and error. Every effect's outcome is listed.
 */
function finalAnnouncement(
  intent: Intent,
  outcomes: EffectOutcome[],
  fields: Record<string, unknown>,
): Announcement {
  const essential = new Set(intent.effects.filter((e) => e.essential).map((e) => e.id));
  const firstBad = outcomes.find(
    (o, i) => essential.has(intent.effects[i]?.id ?? '') && !isDone(o) && o.outcome !== 'skipped',
  );
  const effects = outcomes.length > 0 ? { effects: outcomes } : {};
  if (firstBad && intent.fallback) {
    const { detailType, detail } = intent.fallback;
    return {
      detailType,
      detail: {
        ...detail,
        ...effects,
        call: firstBad.call,
        resource: firstBad.resource,
        error: firstBad.error ?? { name: 'Preempted', message: firstBad.note ?? 'done by someone else' },
        ...(firstBad.remedy && typeof detail.consequence === 'string'
          ? { consequence: `${detail.consequence}; ${firstBad.remedy}` }
          : {}),
      },
    };
  }
  return {
    detailType: intent.primary.detailType,
    detail: { ...intent.primary.detail, ...fields, ...effects },
  };
}

/**
 * The actor over the ledger table and the guard's bus, as every acting function builds it. `journalOwner` names
 * the journal partition its role may write (lib/aws/partitions.ts): the function's name, or `gate` for the two
 * functions sharing decision keys.
 */
export function actorOver(
  journalOwner: JournalOwner,
  dynamo: DynamoSender,
  tableName: string,
  bus: Pick<GuardBus, 'emitStored'>,
  executors: Executors,
  logger: GuardLogger,
  now: () => Date,
): Actor {
  return makeActor({
    journal: makeJournal(dynamo, tableName, LEASE_MS, journalOwner),
    bus,
    attempts: makeAttemptCounter(dynamo, tableName, now),
    executors,
    logger,
    now,
  });
}
