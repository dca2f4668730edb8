// Keeps tools/kit and tools/cli compiled: a stale or missing lib/ is rebuilt before the command runs.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const kitDir = join(cliDir, '..', 'kit');

function newest(dir) {
  let latest = 0;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    latest = Math.max(latest, statSync(join(dir, file)).mtimeMs);
  }
  return latest;
}

function stale(pkgDir, builtFile) {
  const built = join(pkgDir, builtFile);
  return !existsSync(built) || statSync(built).mtimeMs < newest(join(pkgDir, 'src'));
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`homelab: could not compile the tools (${[command, ...args].join(' ')}); fix the errors above.\n`);
    process.exit(2);
  }
}

export function ensureToolsBuilt() {
  // tsc -b rewrites its build info on every build, even when an output's bytes stay the same.
  const kitStale = stale(kitDir, 'tsconfig.tsbuildinfo') || stale(kitDir, 'lib/generated/compose-schema.cjs') || stale(kitDir, 'lib/bundle/kit.mjs');
  if (!kitStale && !stale(cliDir, 'tsconfig.tsbuildinfo') && existsSync(join(cliDir, 'lib', 'main.js'))) return;
  process.stderr.write('homelab: compiling tools/kit and tools/cli ...\n');
  run(join(cliDir, 'node_modules', '.bin', 'tsc'), ['-b', cliDir], cliDir);
  run(process.execPath, [join(kitDir, 'scripts', 'compile-compose-schema.mjs')], kitDir);
  run(process.execPath, [join(kitDir, 'scripts', 'bundle-kit.mjs')], kitDir);
  // tsc leaves an output it would write unchanged alone: mark the build as done, or every run recompiles.
  const now = new Date();
  utimesSync(join(cliDir, 'lib', 'main.js'), now, now);
}
