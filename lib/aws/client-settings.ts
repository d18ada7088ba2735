/**
 * How long the guard's AWS SDK clients wait for AWS, and how often they try. The SDK sets no request or
 * connection timeout by default: a server that accepts and never answers would hold the call until the Lambda
 * times out, with no report. With these, a hung call fails with `TimeoutError` after
 * `requestTimeoutMs × SDK_MAX_ATTEMPTS` and the reaction can still report it (../shared/toolchain.md).
 * The simulator's Lambda model charges a hung call the same virtual time.
 */
export const CLIENT_TIMEOUTS = { connectionTimeoutMs: 1000, requestTimeoutMs: 3000 } as const;

/** The SDK's standard retry mode: 3 attempts in all for throttling, 5xx, timeouts and connection resets. */
export const SDK_MAX_ATTEMPTS = 3;
