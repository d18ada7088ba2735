/**
 * Built on first use, then kept: for the configuration's schemas, which a Lambda whose configuration was validated
 * at package time never needs (config/runtime.ts), so a cold start does not pay for building them.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
