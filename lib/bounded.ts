/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order in the result. The first
 * error rejects the whole map; calls not yet started are not started (those in flight finish unobserved).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    try {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T, i);
    } catch (error) {
      next = items.length;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
