import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts', 'testing/**/*.test.ts', 'contract/**/*.test.ts', 'token-server/**/*.test.ts', 'sandbox/**/*.test.ts', 'widget/src/**/*.test.ts', 'widget/e2e/**/*.test.ts', 'integrations/**/*.test.ts', 'examples/**/*.test.ts'],
    // Browser suites run in Chromium through Web Test Runner.
    exclude: ['**/node_modules/**', '**/*.browser.test.ts'],
    environment: 'node',
    // Servers in tests bind to 127.0.0.1 on ephemeral ports, so files can run in parallel.
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
