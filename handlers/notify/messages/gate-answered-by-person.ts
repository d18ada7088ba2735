import type { GateAnsweredByPerson } from '../../../events/guard/gate-answered-by-person';
import { executionLink, pipelineLink } from './console-links';
import { esc, shortExecution, type Notice, type RenderContext } from './notice';

/** A person answered the Prod gate in the console: recorded with who; the guard does not answer it again. */
export function renderGateAnsweredByPerson(d: GateAnsweredByPerson, ctx: RenderContext): Notice {
  const approved = d.status === 'Approved';
  const commit = d.commitId ? ` ${d.commitId.slice(0, 7)}` : '';
  return {
    mode: d.mode,
    icon: approved ? ':bust_in_silhouette::white_check_mark:' : ':bust_in_silhouette::no_entry:',
    headline: `${d.pipeline}${commit} ${approved ? 'approved' : 'rejected'} at the ${d.prodStage} gate by ${esc(d.by)}`,
    why: [
      `${esc(d.by)} answered ${d.prodStage}/${d.gateAction} of execution ${shortExecution(d.executionId)} themselves (the CodePipeline console or their own credentials)${d.summary ? `: "${esc(d.summary)}"` : ''}.`,
    ],
    next: [
      approved
        ? 'The guard makes no approval of its own for it (its bake timer is swept); the alarm gate still closes Prod if a selected Dev alarm fires.'
        : 'It does not go to Prod. The guard does not answer it again; the next execution that succeeds in Dev bakes as usual.',
    ],
    links: [...executionLink(ctx.region, d.pipeline, d.executionId), ...pipelineLink(ctx.region, d.pipeline)],
  };
}
