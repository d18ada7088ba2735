import { describe, expect, it } from 'vitest';
import { decideGateAnswer } from '../../handlers/promote/decide-gate-answer';

const answer = (by: string | undefined, status: 'Approved' | 'Rejected' = 'Approved') => ({
  actionExecutionId: '0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
  status,
  by,
  summary: 'by hand',
});

describe('decideGateAnswer: a person answering the Prod gate is recorded, the guard is not', () => {
  it.each([
    'arn:aws:iam::111122223333:user/ana',
    'arn:aws:sts::111122223333:assumed-role/leadout-developers/ana',
    // The command function acts only for a person; it never answers the gate, but if it did it would be theirs.
    'arn:aws:sts::111122223333:assumed-role/leadout-release-guard-prod-command/session',
  ])('records %s', (by) => {
    expect(decideGateAnswer(answer(by, 'Rejected'))).toMatchObject({
      kind: 'record',
      by,
      status: 'Rejected',
    });
  });

  it.each([
    'arn:aws:sts::111122223333:assumed-role/leadout-release-guard-prod-PromoteRole/leadout-release-guard-prod-promote',
    'arn:aws:sts::111122223333:assumed-role/leadout-release-guard-prod-AlarmGateRole/leadout-release-guard-prod-alarmGate',
  ])('ignores the guard’s own answer (%s)', (by) => {
    expect(decideGateAnswer(answer(by)).kind).toBe('ignore');
  });

  it('ignores an approval CodePipeline ended itself (no caller), and one not answered yet', () => {
    expect(decideGateAnswer(answer(undefined, 'Rejected')).kind).toBe('ignore');
    expect(decideGateAnswer(undefined).kind).toBe('ignore');
  });
});
