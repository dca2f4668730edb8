import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Findings } from '../findings.js';
import { AJV_OPTIONS, composeSchema } from './compose-schema-source.js';

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

const require = createRequire(import.meta.url);
let validator: Validator | undefined;

/** The precompiled validator from the kit build, or (from sources, in tests) one compiled now. */
function composeValidator(): Validator {
  if (validator) return validator;
  const generated = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated', 'compose-schema.cjs');
  if (existsSync(generated)) {
    // Its code cache in the kit's cache folder: lib/ is a build output (code-cache.cjs).
    const { requireCached, KIT_CACHE_DIR } = require('../../code-cache.cjs') as { requireCached(file: string, cacheDir: string): Validator; KIT_CACHE_DIR: string };
    validator = requireCached(generated, KIT_CACHE_DIR);
  } else {
    const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: object): Validator } }).default;
    validator = new Ajv(AJV_OPTIONS).compile(composeSchema());
  }
  return validator;
}

/** `/services/sonarr/ports/0` -> `sonarr/ports[0]`; top-level keys stay under `compose/`. */
function fieldPath(instancePath: string): string {
  const parts = instancePath.split('/').slice(1);
  const [top, name, ...rest] = parts;
  const tail = rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `/${p}`)).join('');
  if (top === 'services' && name !== undefined) return `${name}${tail}`;
  return ['compose', ...parts].join('/');
}

function describe(e: SchemaError): string {
  if (e.keyword === 'additionalProperties') return `has unknown key "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${e.message}: ${JSON.stringify(e.params.allowedValues)}`;
  return e.message ?? e.keyword;
}

/** Checks a rendered compose document against the compose-spec schema; one finding per field. */
export function checkComposeSchema(host: string, document: unknown, findings: Findings): void {
  const validate = composeValidator();
  if (validate(document)) return;
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // oneOf/anyOf restate their branches' errors; the branch errors say what is wrong.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    const path = `${host}/${fieldPath(e.instancePath)}`;
    if (seen.has(path)) continue;
    seen.add(path);
    findings.error('compose-schema', path, `compose-spec schema: ${path} ${describe(e)}.`);
  }
}
