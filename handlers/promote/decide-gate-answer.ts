import { isGuardPrincipal } from '../alarm-gate/decide-gate';
import type { GateAnswer } from '../../lib/aws/codepipeline';

export type GateAnswerDecision =
  | { kind: 'ignore'; reason: string }
  | { kind: 'record'; by: string; status: GateAnswer['status']; summary?: string; actionExecutionId: string };

/**
 * E's gate approval ended (SUCCEEDED or FAILED): answered by the guard, by a person, or — rejected — by
 * CodePipeline itself when it timed out (no caller). A person's answer is recorded and announced once, with who
 * (CodePipeline's record of the caller, never a field a person fills in); the guard never answers it again.
 */
export function decideGateAnswer(answer: GateAnswer | undefined): GateAnswerDecision {
  if (!answer) return { kind: 'ignore', reason: 'the gate approval has no answer yet' };
  if (!answer.by) return { kind: 'ignore', reason: 'no caller answered it (CodePipeline ended it itself)' };
  if (isGuardPrincipal(answer.by)) return { kind: 'ignore', reason: 'the guard answered it' };
  return {
    kind: 'record',
    by: answer.by,
    status: answer.status,
    summary: answer.summary,
    actionExecutionId: answer.actionExecutionId,
  };
}
