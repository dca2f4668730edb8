import { afterEach } from 'vitest';
import { takeRefusals } from '../src/unit-tier/guard.js';
import { installUnitTierGuard } from '../src/unit-tier/install.js';

// The unit project's setup file (vitest.config.ts): every unit test runs with node:child_process and
// node:fs guarded against what a minimal Debian 12 plus Node and pnpm lacks (src/unit-tier).
installUnitTierGuard();

// A test that caught the error (or ran the program through a helper that swallows it) still fails.
afterEach(() => {
  const refused = takeRefusals();
  if (refused.length > 0) throw new Error(`unit tier: this test ${refused.join('; and ')}`);
});
