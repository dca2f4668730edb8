// Loads a large CommonJS file through a V8 code cache kept beside it, so a command that runs
// often does not compile the same code on every start (Node 20 has no module compile cache).
// Plain JavaScript on purpose: the `homelab` launcher needs it before anything is compiled.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const pending = [];

/**
 * The kit's own cache folder (the compose-schema validator's code cache, the launcher's compile
 * lock): in its node_modules/.cache, never in lib/. lib/ is Nx's output of the kit's build, which
 * Nx restores from its cache, folder and all, when a file appears in it, under any running homelab.
 */
const KIT_CACHE_DIR = path.join(__dirname, 'node_modules', '.cache', 'homelab');

/**
 * Requires `file` through a V8 code cache kept in `cacheDir` (beside the file unless told; a file
 * in a build's output folder keeps it in KIT_CACHE_DIR).
 */
function requireCached(file, cacheDir = path.dirname(file)) {
  const cacheFile = path.join(cacheDir, `${path.basename(file)}.v8-${process.version}.cache`);
  const source = fs.readFileSync(file, 'utf8');
  let cachedData;
  try {
    if (fs.statSync(cacheFile).mtimeMs >= fs.statSync(file).mtimeMs) cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) pending.push({ script, cacheFile });
  return mod.exports;
}

/** Writes the caches of files loaded without one; call once the work is done, so the cache holds compiled functions. */
function saveCodeCaches() {
  for (const { script, cacheFile } of pending.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A read-only install just runs without the cache.
    }
  }
}

module.exports = { KIT_CACHE_DIR, requireCached, saveCodeCaches };
