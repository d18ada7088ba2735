/** An AWS call failed in a way that a retry may fix; thrown so EventBridge retries the event. */
export class TransientAwsError extends Error {
  override name = 'TransientAwsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An event that can never be valid: logged, counted and dropped, never retried. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
  constructor(
    message: string,
    readonly eventId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'UnknownError', message: String(error) };
}
