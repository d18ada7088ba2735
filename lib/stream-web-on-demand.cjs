/**
 * Replaces `node:stream/web` in the Lambda bundles (serverless.yml `esbuild.alias`). @middy/core imports it for one
 * `instanceof ReadableStream`, in streamed responses, which the guard never uses; loading Node's web streams at
 * import costs about 1.5 ms of every cold start (docs/performance.md "Cold import"). Each export is read from Node's
 * own module when first used, so every use still gets the real class. CommonJS on purpose: esbuild keeps property
 * reads on a CommonJS module lazy, where it would evaluate an ES module's exports at import.
 */
'use strict';
const names = [
  'ReadableStream',
  'ReadableStreamDefaultReader',
  'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest',
  'ReadableByteStreamController',
  'ReadableStreamDefaultController',
  'TransformStream',
  'TransformStreamDefaultController',
  'WritableStream',
  'WritableStreamDefaultWriter',
  'WritableStreamDefaultController',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'TextEncoderStream',
  'TextDecoderStream',
  'CompressionStream',
  'DecompressionStream',
];
for (const name of names) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first read, the point of this file
  Object.defineProperty(exports, name, { enumerable: true, get: () => require('node:stream/web')[name] });
}
