/**
 * scripts/bench/handlers-sdk.ts, a few iterations, so that `npm run bench`'s whole-handler figures cannot rot
 * silently: each handler, over the real SDK clients and the in-memory HTTP handler, still reaches its decision every
 * time (the bench throws otherwise) and makes the calls it makes today. Times are reported by the bench, not tested.
 */
import { describe, expect, it } from 'vitest';

import { handlerLatencies } from '../../scripts/bench/handlers-sdk';

describe('the whole-handler bench over the real SDK clients', () => {
  it('approves with promote and closes Prod with the alarm gate on every iteration, with today’s calls', async () => {
    // Act
    const [promote, alarmGate] = await handlerLatencies(5);

    // Assess
    expect(promote).toMatchObject({ name: 'promote (bake over, approve)', iterations: 5 });
    expect(promote!.callsPerInvocation).toEqual({
      'codepipeline.GetPipelineState': 1,
      'cloudwatch.DescribeAlarms': 1,
      'cloudwatch.DescribeAlarmHistory': 1,
      'dynamodb.GetItem': 4,
      'dynamodb.Query': 1,
      'dynamodb.PutItem': 1,
      'dynamodb.UpdateItem': 2,
      'codepipeline.PutApprovalResult': 1,
      'eventbridge.PutEvents': 1,
    });
    // One GetPipelineState, sent with the journal's intent: DisableStageTransition uses it (docs/alarm-gate.md).
    expect(alarmGate!.callsPerInvocation).toEqual({
      'codepipeline.GetPipelineState': 1,
      'dynamodb.GetItem': 2,
      'dynamodb.PutItem': 1,
      'dynamodb.UpdateItem': 2,
      'codepipeline.DisableStageTransition': 1,
      'codepipeline.PutApprovalResult': 1,
      'eventbridge.PutEvents': 1,
    });
    for (const h of [promote!, alarmGate!]) {
      expect(h.p50Ms).toBeGreaterThan(0);
      expect(h.p99Ms).toBeGreaterThanOrEqual(h.p50Ms);
    }
  });
});
