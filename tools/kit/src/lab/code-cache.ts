import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Saves the V8 code caches of the large generated files this run compiled (see code-cache.cjs). */
export function saveCodeCaches(): void {
  (require('../../code-cache.cjs') as { saveCodeCaches(): void }).saveCodeCaches();
}
