/* eslint-disable @typescript-eslint/no-empty-object-type */
/* eslint-disable @typescript-eslint/no-explicit-any */
// vitest setupFiles: registers the aws-sdk-client-mock matchers (toHaveReceivedCommandWith, ...).
import { allCustomMatcher, type BaseMatcher } from 'aws-sdk-client-mock-vitest';
import { expect } from 'vitest';

expect.extend(allCustomMatcher);

// allCustomMatcher holds the toHaveReceived* matchers only (not the toReceive* aliases): declare BaseMatcher.
declare module 'vitest' {
  interface Matchers<T = any> extends BaseMatcher<T> {}
}
