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

/** Error names AWS uses for throttling and passing server trouble: a retry later may succeed. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  // The Resource Groups Tagging API's (GetResources), which the SDK also retries as throttling.
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottledException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalServiceError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // Credentials that expired early (clock skew, a revoked session): assumed again on the retry.
  'ExpiredToken',
  'ExpiredTokenException',
]);

type SdkErrorShape = { $retryable?: unknown; $fault?: string; $metadata?: { httpStatusCode?: number } };

/** Throttling, a server-side fault or a timeout: worth retrying, unlike a refusal (access, validation, not found). */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof TransientAwsError) return true;
  if (!(error instanceof Error)) return false;
  const sdk = error as Error & SdkErrorShape;
  const status = sdk.$metadata?.httpStatusCode ?? 0;
  return (
    TRANSIENT_NAMES.has(error.name) || Boolean(sdk.$retryable) || sdk.$fault === 'server' || status >= 500
  );
}
