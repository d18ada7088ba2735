import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/moto-server.ts'],
    setupFiles: ['test/setup/matchers.ts'],
    testTimeout: 30_000,
  },
});
