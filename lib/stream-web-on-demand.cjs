/**
 * Replaces `node:stream/web` in the Lambda bundles (serverless.yml `esbuild.alias`). @middy/core imports it for one
 * `instanceof ReadableStream`, in streamed responses, which the guard never uses; loading Node's web streams at
 * import costs about 1.5 ms of every cold start (docs/performance.md "Cold import"). ReadableStream, the one name
 * any bundled module imports from it (test/unit/stream-web-on-demand.test.ts), is read from Node's own module when
 * first used, so it is the real class. CommonJS on purpose: esbuild keeps property reads on a CommonJS module
 * lazy, where it would evaluate an ES module's exports at import.
 */
'use strict';
Object.defineProperty(exports, 'ReadableStream', {
  enumerable: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first read, the point of this file
  get: () => require('node:stream/web').ReadableStream,
});
