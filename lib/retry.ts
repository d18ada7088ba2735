/**
 * Runs an idempotent AWS write up to `attempts` times and throws the last error. For writes whose loss would lose
 * a decision's trace (the outbox item, the restore record), where Lambda's own retry would come too late.
 */
export async function retried<T>(
  attempts: number,
  write: () => Promise<T>,
  onError?: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      onError?.(error, attempt);
      if (attempt >= attempts) throw error;
    }
  }
}
