import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../lib/bounded';

/** A call that resolves after `ms`, counting how many run at once. */
function tracked() {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const call = async (n: number, ms: number) => {
    started.push(n);
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    inFlight--;
    return n * 10;
  };
  return { call, peak: () => peak, started };
}

describe('mapBounded', () => {
  it('keeps the input order whatever finishes first, with at most `limit` calls in flight', async () => {
    const t = tracked();
    const items = [1, 2, 3, 4, 5, 6, 7];
    const out = await mapBounded(items, 3, (n) => t.call(n, (8 - n) * 3));
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(t.peak()).toBe(3);
  });

  it('runs one at a time with limit 1, and copes with no items', async () => {
    const t = tracked();
    expect(await mapBounded([1, 2, 3], 1, (n) => t.call(n, 1))).toEqual([10, 20, 30]);
    expect(t.peak()).toBe(1);
    expect(await mapBounded([], 5, (n: number) => t.call(n, 1))).toEqual([]);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const t = tracked();
    const run = mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      if (n === 2) throw new Error('boom 2');
      if (n === 3) throw new Error('boom 3');
      return t.call(n, 5);
    });
    await expect(run).rejects.toThrow('boom 2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.started).toEqual([1]);
  });
});
