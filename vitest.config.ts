import { defineConfig } from 'vitest/config';

// CI sets HOMELAB_TEST_REPORT to a file path to get a JSON report next to the usual output,
// so that .ci/run can total the tests while running exactly the README's commands.
const report = process.env.HOMELAB_TEST_REPORT;

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          env: { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1' },
          // Some unit tests run the real command in a fresh process; a busy 2-core machine is slow.
          testTimeout: 30_000,
          include: ['tools/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.system.test.ts', '**/*.twin.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          // Deploy may connect to loopback only, in every test and every process a test starts.
          env: { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1' },
          include: ['tools/*/test/**/*.system.test.ts', 'packages/*/test/**/*.system.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'twin',
          // The lab twin: namespaces at the lab's own addresses; deploy may reach only those (the twin sets them).
          include: ['tools/*/test/**/*.twin.test.ts'],
          // Bounds, not expectations: the twin brings up the whole lab on a loaded 2-core machine.
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
