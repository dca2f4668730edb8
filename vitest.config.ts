import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tools/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.system.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tools/*/test/**/*.system.test.ts', 'packages/*/test/**/*.system.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
