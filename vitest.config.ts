import { defineConfig } from 'vitest/config';
import { slowFirst } from './tools/testing/test/slow-first.js';

// CI sets HOMELAB_TEST_REPORT to a file path to get a JSON report next to the usual output,
// so that .ci/run can total the tests while running exactly the README's commands.
const report = process.env.HOMELAB_TEST_REPORT;

// A developer's own ~/.ssh/config and known_hosts (ProxyJump, HostName for the lab's hosts) never
// steer a test's deploy; the tests of that reading point HOME at a temp folder of their own.
const NO_USER_SSH = { HOMELAB_SSH_CONFIG: 'none', HOMELAB_SSH_KNOWN_HOSTS: 'none' };

// The system tier's slowest files, slowest first (wall seconds in a clean-clone .ci/run of
// 2026-12-07, beside the twin: 448, 249, 236, 228, 177, 145, 115, 113, 85, 69). Two workers take
// them in this order, so the long ones overlap instead of the last two running alone at the end
// (vitest's fresh-clone order is by file size, and converge-cut and converge-killed are tiny files).
// A scheduling hint only: a file missing from the list still runs, after these.
const SYSTEM_SLOWEST_FIRST = [
  'tools/twin/test/standin.system.test.ts',
  'tools/cli/test/converge-cut.system.test.ts',
  'tools/cli/test/converge.system.test.ts',
  'tools/cli/test/converge-killed.system.test.ts',
  'tools/cli/test/deploy.system.test.ts',
  'tools/cli/test/operate.system.test.ts',
  'tools/cli/test/drift.system.test.ts',
  'tools/cli/test/nx-deploy.system.test.ts',
  'tools/kit/test/nx-cache.system.test.ts',
  'tools/kit/test/promtool.system.test.ts',
];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    sequence: { sequencer: slowFirst(import.meta.dirname, SYSTEM_SLOWEST_FIRST) },
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Refuses, in every unit test, a program or system path that a minimal Debian 12 plus Node
          // and pnpm lacks (tools/testing/src/unit-tier): the unit tier runs before any install.
          setupFiles: ['tools/testing/test/unit-tier-setup.ts'],
          env: { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1', ...NO_USER_SSH },
          // Some unit tests run the real command in a fresh process; a busy 2-core machine is slow.
          testTimeout: 30_000,
          // The test files of a worker share its loaded modules (the kit from source, vitest's
          // transforms): imported afresh for each of the ~110 files, that was most of the tier's time
          // (157 s against 93 s here). No unit test mocks a module; spies are restored by each test.
          isolate: false,
          include: ['tools/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.system.test.ts', '**/*.twin.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          // Deploy may connect to loopback only, in every test and every process a test starts.
          env: { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1', ...NO_USER_SSH },
          include: ['tools/*/test/**/*.system.test.ts', 'packages/*/test/**/*.system.test.ts'],
          // Generous, and a loaded machine can raise it: no test may fail for the machine's speed.
          testTimeout: Number(process.env.HOMELAB_SYSTEM_TEST_SECONDS ?? 300) * 1000,
          hookTimeout: Number(process.env.HOMELAB_SYSTEM_TEST_SECONDS ?? 300) * 1000,
          // Two files at once: most of a system test's time is waiting (healthchecks, sshd, compose),
          // and each file brings its own daemons, folders, ports and namespaces (named by pid).
          fileParallelism: true,
          maxWorkers: Number(process.env.HOMELAB_SYSTEM_TEST_WORKERS ?? 2),
        },
      },
      {
        extends: true,
        test: {
          name: 'twin',
          // The twin's own addresses exist only in namespaces it makes; each test says which.
          // No registry is reachable here, so no image's facts are verified at its digest: every
          // twin run of the tier is marked unverified, and its report says so (docs/images.md).
          env: { HOMELAB_TWIN_UNVERIFIED_FACTS: '1' },
          include: ['tools/twin/test/**/*.twin.test.ts'],
          testTimeout: Number(process.env.HOMELAB_TWIN_TEST_SECONDS ?? 1800) * 1000,
          hookTimeout: Number(process.env.HOMELAB_TWIN_TEST_SECONDS ?? 1800) * 1000,
          fileParallelism: false,
        },
      },
    ],
  },
});
