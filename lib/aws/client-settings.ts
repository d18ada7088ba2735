/**
 * Every SDK client's timeouts, well under the 30 s of the functions that act: a stalled connection becomes a
 * `TimeoutError` the decision journal handles, not a Lambda killed at its timeout. The SDK makes 3 attempts
 * (standard retry mode), so a call that never answers costs about 3 × `requestTimeoutMs`. `throwOnRequestTimeout`
 * is needed: without it, @smithy/node-http-handler 4.x only logs a warning and waits on (measured here).
 */
export const CLIENT_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000 };
export const SDK_MAX_ATTEMPTS = 3;

export function clientSettings() {
  return {
    maxAttempts: SDK_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CLIENT_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: CLIENT_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}
