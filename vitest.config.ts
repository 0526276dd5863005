import { defineConfig } from 'vitest/config';

// Three projects: unit (no servers), integration (real Dovecot, Postfix, Secret Service, HTTPS
// peers started by the tests), e2e (Debian's Chromium driving the built renderer).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // generous: the unit project shares two cores with Chromium and the test servers in CI
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/servers/global-keyring.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/servers/global-keyring.ts', 'test/e2e/harness/global-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
