/** An AWS call failed in a way that a retry may fix; thrown so EventBridge retries the event. */
export class TransientAwsError extends Error {
  override name = 'TransientAwsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'UnknownError', message: String(error) };
}
