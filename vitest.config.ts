import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (docs/performance.md "The suite"), longest first. Without a results cache (a clean
 * clone, CI) vitest starts the largest files first, and the property tests are small files: they started last
 * and ran alone at the end. A file not listed keeps vitest's own order, after these.
 */
export const LONGEST_FIRST = [
  'test/property/invariant-2.test.ts',
  'test/property/invariant-2b.test.ts',
  'test/property/invariant-1.test.ts',
  'test/property/invariant-3.test.ts',
  'test/property/invariant-5.test.ts',
  'test/packaging/cross-account-template.test.ts',
  'test/simulator/fidelity.test.ts',
  'test/packaging/packaged-template.test.ts',
  'test/property/invariant-4.test.ts',
  'test/property/sinks-change-nothing.test.ts',
  'test/scenarios/scenarios.test.ts',
  'test/fuzz/reactions.test.ts',
  'test/property/tile-restarts.test.ts',
  'test/contract/packaged-rules.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(spec.project.config.root, spec.moduleId));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array#sort is stable: the unlisted files keep the base sequencer's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * The simulator follows each Lambda invocation through its awaits with an AsyncLocalStorage
 * (simulator/world/lambda.ts). On Node 22 that costs async hooks on every promise (~5 % of a property run's CPU);
 * Node 22's AsyncContextFrame carries the same store without them (Node 24's default). Where this Node has no such
 * flag (Node 20), the workers run as before. A CLI `--execArgv` replaces this: add the flag there too.
 */
const ASYNC_CONTEXT_FRAME = '--experimental-async-context-frame';
const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has(ASYNC_CONTEXT_FRAME)
  ? [ASYNC_CONTEXT_FRAME]
  : [];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/moto-server.ts'],
    setupFiles: ['test/setup/matchers.ts'],
    testTimeout: 30_000,
    // vitest's default is 10 s. A beforeAll that creates moto tables and parameters while the property tests hold
    // both cores once took longer (CI, 2026-12-03); a hook that hangs still fails, after a minute.
    hookTimeout: 60_000,
    // vitest's default in a run is one worker fewer than the cores: a single worker on this 2-core machine.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongestFirst },
    execArgv: WORKER_EXEC_ARGV,
  },
});
