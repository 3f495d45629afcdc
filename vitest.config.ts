import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The end-to-end and promtool tests start real processes; two cores, so run files one at a time.
    fileParallelism: false,
  },
});
