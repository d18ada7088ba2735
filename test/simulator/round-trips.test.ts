import { GetPipelineStateCommand } from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGES } from '../../simulator/scenario';
import { invoke, Invocation } from '../../simulator/world/lambda';
import { fakeClients } from '../../simulator/world/services';
import { World } from '../../simulator/world/world';

function aWorld() {
  const world = new World(
    new Date('2026-11-27T09:00:00Z'),
    { name: 'bus', arn: 'arn:aws:events:us-east-1:111122223333:event-bus/bus' },
    {},
  );
  world.addPipeline({ name: 'leadout', stages: DEFAULT_STAGES, tokenLagSeconds: 0, version: 1 });
  return { world, codepipeline: fakeClients(world).codepipeline };
}

describe('round trips the simulator counts per invocation', () => {
  it('counts calls sent one after another apart, and calls sent together once', async () => {
    // Prepare
    const { world, codepipeline } = aWorld();
    const read = () => codepipeline.send(new GetPipelineStateCommand({ name: 'leadout' }));
    const invocation = new Invocation('alarmGate', 1, world.clock.nowMs(), 30_000);

    // Act: one read, then three together, then one more
    await invoke(world, invocation, async () => {
      await read();
      await Promise.all([read(), read(), read()]);
      await read();
    });

    // Assess
    const calls = world.timeline.flatMap((t) => (t.kind === 'aws-call' ? [t.roundTrip] : []));
    expect(calls).toEqual([1, 2, 2, 2, 3]);
    expect(invocation.roundTrips).toBe(3);
  });
});
