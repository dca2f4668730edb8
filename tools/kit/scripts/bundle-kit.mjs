// Bundles the compiled kit (lib/) into one ES module, lib/bundle/kit.mjs, which is what
// `import '@homelab/kit'` loads at run time: one file to read instead of ~170, which is most of
// the `homelab` command's start-up. npm dependencies stay external (resolved from the kit's own
// node_modules), and the file sits at the same depth as lib/<folder>/, so the kit's relative
// paths (../generated, ../../code-cache.cjs) still hold.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const kit = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(kit, 'lib', 'index.js')],
  outfile: join(kit, 'lib', 'bundle', 'kit.mjs'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
