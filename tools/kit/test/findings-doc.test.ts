import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/internal.js';
import { workspaceRoot } from './support.js';

// The codes reported outside the rule registry: the schema layer and the lab loader.
const OTHER_CODES = ['compose-schema', 'lab-load', 'lab-facts', 'host-invalid', 'lab-import-cycle', 'lab-import-undefined', 'lab-module-throws', 'service-invalid'];
// The codes `homelab plan` reports for the proxy's certificate (tls/check.ts): the store holds it encrypted.
const PLAN_CODES = ['tls-certificate-unreadable', 'tls-certificate-expired', 'tls-certificate-expiring', 'tls-certificate-names-missing', 'tls-certificate-untrusted'];

describe('docs/findings.md', () => {
  it('explains every code the kit can report', () => {
    const doc = readFileSync(join(workspaceRoot, 'docs', 'findings.md'), 'utf8');
    const codes = [...new Set([...rules.flatMap((r) => r.codes), ...OTHER_CODES, ...PLAN_CODES])];
    const missing = codes.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
