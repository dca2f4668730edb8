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
 * Requires `file` through a V8 code cache kept in `cacheDir` (beside the file unless told). A file
 * inside a build's output folder keeps its cache elsewhere: a file written there after the build
 * makes Nx see the outputs changed and restore them from its cache, deleting the folder under any
 * process that is loading from it.
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

module.exports = { requireCached, saveCodeCaches };
