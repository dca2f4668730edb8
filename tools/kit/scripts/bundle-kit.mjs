// Bundles the compiled kit (lib/) into ES modules in lib/bundle/: kit.mjs, which is what
// `import '@homelab/kit'` loads at run time (one file to read instead of ~170, which is most of
// the `homelab` command's start-up), and internal.mjs for '@homelab/kit/internal'. The two share
// their code through chunks, so a process that loads both still has one copy of each module's
// state. npm dependencies stay external (resolved from the kit's own node_modules), and the files
// sit at the same depth as lib/<folder>/, so the kit's relative paths (../generated,
// ../../code-cache.cjs) still hold.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const kit = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(kit, 'lib', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { kit: join(kit, 'lib', 'index.js'), internal: join(kit, 'lib', 'internal.js') },
  outdir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
