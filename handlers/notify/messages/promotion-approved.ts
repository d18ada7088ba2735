import type { PromotionApproved } from '../../../events/guard/promotion-approved';
import { executionLink } from './console-links';
import { plural, shortCommit, shortExecution, type Notice, type RenderContext } from './notice';

const triggers: Record<PromotionApproved['trigger'], string> = {
  timer: 'the bake timer fired while the execution waited at the gate',
  'gate-started': 'the execution reached the Prod gate after its bake was over',
  reconciler: 'the reconciler found a baked execution waiting at the gate',
  person: 'the last hold on the pipeline ended while the baked execution waited at the gate',
  override: "a person's promote-now (break glass)",
};

export function renderPromotionApproved(d: PromotionApproved, ctx: RenderContext): Notice {
  const what = `${d.pipeline} ${shortCommit(d.commitId)} into Prod`;
  const alarms = d.alarmsChecked.length
    ? `${plural(d.alarmsChecked.length, 'Dev alarm')} quiet the whole bake: ${d.alarmsChecked.join(', ')}.`
    : 'No Dev alarm fired during the bake.';
  return {
    mode: d.mode,
    icon: ':white_check_mark:',
    headline: d.mode === 'enforce' ? `Approved ${what}` : `Would have approved ${what}`,
    why: d.rollbackOf
      ? [
          `A rollback to a known good commit, started by the guard after execution \`${shortExecution(d.rollbackOf)}\` failed: no bake, Dev alarms not checked (they likely belong to the bad release).`,
        ]
      : [
          `Baked ${d.bakedMinutes} min in Dev; ${alarms}`,
          `No newer execution passed Dev; ${triggers[d.trigger]}.`,
        ],
    next:
      d.mode === 'enforce'
        ? [`Execution \`${shortExecution(d.executionId)}\` deploys to Prod now.`]
        : [
            `Nothing was approved: the Prod gate of \`${shortExecution(d.executionId)}\` waits for a person. Approving it now is what the guard would have done.`,
          ],
    links: [
      ...executionLink(ctx.region, d.pipeline, d.executionId),
      ...(d.rollbackOf ? executionLink(ctx.region, d.pipeline, d.rollbackOf, 'failed execution') : []),
    ],
    commit: { id: d.commitId, message: d.commitMessage },
  };
}
