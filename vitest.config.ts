import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Headless Chromium tests run under vitest.ui.config.ts (npm run test:ui), after the UI is built.
    exclude: [...configDefaults.exclude, 'test/ui/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The bin runs the built CLI (dist/cli.mjs): build it from the sources before any test spawns it.
    globalSetup: ['test/support/buildCli.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-report.json' },
  },
});
