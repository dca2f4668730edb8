// A local Nx plugin: the hosts that render other hosts' declarations (Traefik routes, AdGuard
// rewrites, Prometheus jobs, the Proxmox node's firewall and mappings) depend on those hosts in
// the project graph. The edges come from the lab itself (the kit's declarationReaders), so a new
// host or a moved service changes the graph with no list to keep. nx.json then takes the
// declaring hosts' dist/declarations.json as the readers' build inputs.
const { join, relative, sep } = require('node:path');
const { pathToFileURL } = require('node:url');
const { performance } = require('node:perf_hooks');

/** The kit's graph entry, bundled to .homelab/nx-plugin/ (two folders below the kit, like lib/bundle/). */
async function loadGraphModule(root) {
  const kit = join(root, 'tools', 'kit');
  const esbuild = require(require.resolve('esbuild', { paths: [kit] }));
  const outfile = join(kit, '.homelab', 'nx-plugin', `graph-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [join(__dirname, 'graph.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  try {
    return await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  } finally {
    require('node:fs').rmSync(outfile, { force: true });
  }
}

/** @type {import('nx/src/project-graph/plugins').CreateDependencies} */
async function createDependencies(_options, context) {
  const started = performance.now();
  const root = context.workspaceRoot;
  let readers;
  let dirs;
  try {
    const { labReaders } = await loadGraphModule(root);
    ({ readers, dirs } = await labReaders(root));
  } catch (e) {
    // A lab that does not load is the build's to report, as findings (and with any error no host
    // builds, so no edge missing here lets a stale file through): the graph goes on without edges.
    process.stderr.write(`homelab nx-plugin: the lab did not load, no cross-host edges (${e?.message?.split('\n')[0] ?? e}); the build says why.\n`);
    return [];
  }
  const projectAt = new Map();
  for (const [key, config] of Object.entries(context.projects)) projectAt.set((config.root ?? key).split(sep).join('/'), config.name ?? key);
  const projectOf = new Map(dirs.map(([host, dir]) => [host, projectAt.get(relative(root, dir).split(sep).join('/'))]));
  const deps = [];
  for (const [reader, declaring] of readers) {
    const source = projectOf.get(reader);
    if (!source) continue;
    for (const host of declaring) {
      const target = projectOf.get(host);
      if (target) deps.push({ source, target, type: 'implicit' });
    }
  }
  if (process.env.HOMELAB_NX_PLUGIN_TIMING) process.stderr.write(`homelab nx-plugin: ${deps.length} edges in ${Math.round(performance.now() - started)} ms\n`);
  return deps;
}

module.exports = { name: 'homelab-declarations', createDependencies };
