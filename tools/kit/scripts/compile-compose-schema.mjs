// Compiles the compose-spec JSON schema that dclint ships into standalone validation code,
// so `homelab validate` never compiles a schema at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { composeSchema, AJV_OPTIONS } = await import('../lib/validate/compose-schema-source.js');
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
const validate = ajv.compile(composeSchema());
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'generated', 'compose-schema.cjs');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, standaloneCode(ajv, validate));
