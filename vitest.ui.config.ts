import { defineConfig } from 'vitest/config';

/** The browser proof: built UI in headless Chromium inside a fake Falcon console. `npm run test:ui` builds first. */
export default defineConfig({
  test: {
    include: ['test/ui/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser at a time: the machine has two cores and each file starts its own Chromium.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-ui-report.json' },
  },
});
