import type { PromotionBlocked } from '../../../events/guard/promotion-blocked';
import { alarmLink, executionLink, pipelineLink } from './console-links';
import { esc, shortExecution, utc, type Notice, type RenderContext } from './notice';

export function renderPromotionBlocked(d: PromotionBlocked, ctx: RenderContext): Notice {
  const names = d.alarms.map((a) => a.name).join(', ');
  const verb = d.mode === 'enforce' ? 'Prod stopped' : 'Would have stopped Prod';
  return {
    mode: d.mode,
    icon: ':octagonal_sign:',
    headline: `${verb} for ${d.pipeline}: Dev alarm ${names}`,
    why: [
      ...d.alarms.map(
        (a) =>
          `\`${a.name}\` is ${a.state}${a.since ? ` since ${utc(a.since, ctx.time)}` : ''}${a.reason ? `: ${esc(a.reason)}` : ''}`,
      ),
      ...(d.alarmToBlockSeconds !== undefined
        ? [`Stopped ${Math.round(d.alarmToBlockSeconds)} s after the alarm.`]
        : []),
      ...(d.trigger === 'reconciler' ? ['Found by the reconciler: the alarm event itself was lost.'] : []),
    ],
    next: d.mode === 'enforce' ? enforced(d) : observed(d),
    links: [
      ...pipelineLink(ctx.region, d.pipeline),
      ...(d.rejectedExecutionId ? executionLink(ctx.region, d.pipeline, d.rejectedExecutionId) : []),
      ...d.alarms.flatMap((a) => alarmLink(ctx.region, a)),
    ],
  };
}

function enforced(d: PromotionBlocked): string[] {
  const transition = d.alreadyDisabledBy
    ? `The transition into ${d.prodStage} was already disabled by someone else ("${esc(d.alreadyDisabledBy)}"); the guard left it as it is.`
    : `The transition into ${d.prodStage} is disabled ("${esc(d.transitionReason)}").`;
  return [
    transition,
    ...(d.rejectedExecutionId
      ? [`The gate of \`${shortExecution(d.rejectedExecutionId)}\` was rejected.`]
      : []),
    'Pending bake timers of this pipeline are deleted: a new Dev success starts a full bake.',
    `When every selected Dev alarm is OK again, the guard re-enables the transition, only if its own reason is still on it.`,
  ];
}

function observed(d: PromotionBlocked): string[] {
  const gate = d.rejectedExecutionId
    ? ` and rejected the gate of \`${shortExecution(d.rejectedExecutionId)}\``
    : '';
  return [
    `Nothing was changed: the guard would have disabled the transition into ${d.prodStage}${gate}.`,
    'Decide by hand whether to stop Prod while the alarm fires.',
  ];
}
