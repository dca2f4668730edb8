import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Options the compose schema is compiled with, at build time and at run time alike. */
export const AJV_OPTIONS = { strict: false, allErrors: true } as const;

/** The current compose-spec schema as dclint ships it, without its draft `$schema` key. */
export function composeSchema(): Record<string, unknown> {
  const path = join(packageDir('dclint'), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** The folder of an installed package whose `exports` hide its files. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(`/node_modules/${name}`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the ${name} package`);
    dir = parent;
  }
  return dir;
}
