import { describe, expect, it } from 'vitest';

import { decideBake, type BakeInput } from '../../handlers/bake-start/decide-bake';

const weekend = [{ name: 'weekend', from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Europe/Berlin' }];

function input(devSucceededAt: string, change: Partial<BakeInput> = {}): BakeInput {
  return {
    pipeline: 'leadout',
    executionId: '02ff152c-0fdc-4f12-aa16-9e5eb2f38b96',
    devSucceededAt: new Date(devSucceededAt),
    execution: { commitId: 'a1b2c3d' } as BakeInput['execution'],
    bakeMinutes: 60,
    restore: undefined,
    prodStage: 'Prod',
    freezeWindows: weekend,
    now: new Date(devSucceededAt),
    ...change,
  };
}

describe('decideBake: a second timer when the bake ends inside a freeze window', () => {
  it('sets it at the window’s end, on the zone’s wall clock (Mon 08:00 CET = 07:00Z in winter)', () => {
    const d = decideBake(input('2026-11-27T14:10:00Z'));
    expect(d.timer?.fireAt.toISOString()).toBe('2026-11-27T15:10:01.000Z');
    expect(d.openTimer?.fireAt.toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(d.openTimer?.name).toMatch(/^open-[0-9a-f]{8}-02ff152c/);
  });

  it('and in summer time (Mon 08:00 CEST = 06:00Z)', () => {
    const d = decideBake(input('2026-06-26T14:30:00Z'));
    expect(d.openTimer?.fireAt.toISOString()).toBe('2026-06-29T06:00:00.000Z');
  });

  it('sets none when the bake ends outside every window, or with no windows', () => {
    expect(decideBake(input('2026-11-25T10:00:00Z')).openTimer).toBeUndefined();
    expect(decideBake(input('2026-11-27T14:10:00Z', { freezeWindows: undefined })).openTimer).toBeUndefined();
  });

  it('sets none for the guard’s restore of a Prod failure: it never waits for a freeze', () => {
    const restore = {
      pipeline: 'leadout',
      restoreExecutionId: '02ff152c-0fdc-4f12-aa16-9e5eb2f38b96',
      failedExecutionId: 'e4625dc7-00d8-4c86-b735-d491150cfb97',
      targetExecutionId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
      path: 'rollback-stage' as const,
      failedStage: 'Prod',
    };
    const d = decideBake(input('2026-11-27T14:10:00Z', { restore }));
    expect(d.timer).toBeUndefined();
    expect(d.openTimer).toBeUndefined();
  });
});
