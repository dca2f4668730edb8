// Keeps tools/kit and tools/cli compiled: a stale or missing lib/ is rebuilt before the command runs,
// by one homelab at a time (the others wait for it, then find the tools built).
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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

function toolsStale() {
  // tsc -b rewrites its build info on every build, even when an output's bytes stay the same.
  const kitStale = stale(kitDir, 'tsconfig.tsbuildinfo') || stale(kitDir, 'lib/generated/compose-schema.cjs') || stale(kitDir, 'lib/bundle/kit.mjs');
  return kitStale || stale(cliDir, 'tsconfig.tsbuildinfo') || !existsSync(join(cliDir, 'lib', 'main.js'));
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/**
 * Runs `build` holding a lock file (the holder's pid in it): two homelab commands started at once
 * after a pull would otherwise both compile, each deleting the kit's bundle under the other. A lock
 * whose holder is gone is taken over; one held longer than HOMELAB_BUILD_LOCK_SECONDS (600) is an error.
 */
function withBuildLock(build) {
  const lock = join(createRequire(import.meta.url)(join(kitDir, 'code-cache.cjs')).KIT_CACHE_DIR, 'build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + Number(process.env.HOMELAB_BUILD_LOCK_SECONDS ?? 600) * 1000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(lock, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (holder > 0 && !alive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      process.stderr.write(`homelab: another homelab (pid ${holder || 'unknown'}) has been compiling the tools for too long; if none runs, remove ${lock}\n`);
      process.exit(2);
    }
    Atomics.wait(pause, 0, 0, 200);
  }
  try {
    build();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function ensureToolsBuilt() {
  if (!toolsStale()) return;
  withBuildLock(() => {
    // Another homelab may have compiled them while this one waited.
    if (toolsStale()) compileTools();
  });
}

function compileTools() {
  process.stderr.write('homelab: compiling tools/kit and tools/cli ...\n');
  run(join(cliDir, 'node_modules', '.bin', 'tsc'), ['-b', cliDir], cliDir);
  run(process.execPath, [join(kitDir, 'scripts', 'compile-compose-schema.mjs')], kitDir);
  run(process.execPath, [join(kitDir, 'scripts', 'bundle-kit.mjs')], kitDir);
  // tsc leaves an output it would write unchanged alone: mark the build as done, or every run recompiles.
  const now = new Date();
  utimesSync(join(cliDir, 'lib', 'main.js'), now, now);
}
