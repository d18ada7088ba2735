import type { z } from '../zod';
import type { GuardContract } from '../../events/guard/guard-event';
import { actorOver, announcement } from '../act/act';
import type { DecisionKey } from '../act/journal';
import type { GuardLogger } from '../reaction';
import type { GuardBus } from './guard-bus';
import type { DynamoSender } from './ledger';
import type { JournalOwner } from './partitions';

export { decisionKeyOf, type DecisionKey } from '../act/journal';

const quiet: GuardLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setCorrelationId: () => undefined,
};

/**
 * Announcements of decisions that write nothing to CodePipeline, ECS or CodeDeploy (a tile restart's outcome, a
 * CodeDeploy report): the decision journal (lib/act) with no effects. `announce` records, sends and marks once per
 * key; `flush` sends what an earlier attempt recorded but never announced. `owner`: the function's name, whose
 * journal partition it writes.
 */
export function makeOutbox(
  owner: JournalOwner,
  client: DynamoSender,
  tableName: string,
  bus: GuardBus,
  now: () => Date = () => new Date(),
) {
  const actor = actorOver(owner, client, tableName, bus, {}, quiet, now);
  // Without effects nothing can fail for good, so the attempt counter (keyed by the invocation) is never read.
  const invocation = { reaction: owner, eventId: 'none' };
  return {
    async announce<T extends string, D extends z.ZodMiniType>(
      key: DecisionKey,
      contract: GuardContract<T, D>,
      detail: z.input<D>,
    ): Promise<void> {
      await actor.act(key, { primary: announcement(key, contract, detail), effects: [] }, invocation);
    },

    async flush(key: DecisionKey): Promise<'announced' | 'nothing-due'> {
      return (await actor.resume(key, invocation)) === 'announced' ? 'announced' : 'nothing-due';
    },
  };
}

export type Outbox = ReturnType<typeof makeOutbox>;
