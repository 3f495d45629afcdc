import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The end-to-end and promtool tests start real processes; two cores, so run files one at a time.
    fileParallelism: false,
    // A temp dir of the run's own, checked empty at the end; each file's temp folders removed after it.
    globalSetup: ['test/helpers/temp-guard.ts'],
    setupFiles: ['test/helpers/temp-cleanup.ts'],
  },
});
