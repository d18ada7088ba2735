import { restoresProd, type RollbackLedger } from '../../lib/aws/rollback-ledger';
import type { GateRef } from '../../lib/effects/gate';

/**
 * For the alarm gate's reject `unlessGuardRestore` (lib/effects/gate.ts): why the approval waiting at the gate is
 * left alone — it is the guard's restore of a Prod failure, which Dev alarms do not hold — or undefined.
 */
export function guardRestoreOf(restores: Pick<RollbackLedger, 'getRestore'>) {
  return async (pipeline: GateRef, executionId: string): Promise<string | undefined> => {
    const restore = await restores.getRestore(pipeline.name, executionId);
    if (!restoresProd(restore, pipeline.prodStage)) return undefined;
    return `${executionId} is the guard's restore of a ${pipeline.prodStage} failure: left for promote`;
  };
}
