import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGE_VERIFY_CODES, rules, type Rule } from '../src/internal.js';
import { workspaceRoot } from './support.js';

// The codes reported outside the rule registry: the schema layer and the lab loader.
const OTHER_CODES = ['compose-schema', 'lab-load', 'lab-facts', 'host-invalid', 'lab-import-cycle', 'lab-import-undefined', 'lab-module-throws', 'service-invalid'];
// The codes `homelab plan` reports for the proxy's certificate (tls/check.ts): the store holds it encrypted.
const PLAN_CODES = ['tls-certificate-unreadable', 'tls-certificate-expired', 'tls-certificate-expiring', 'tls-certificate-names-missing', 'tls-certificate-untrusted'];

const rulesDir = join(workspaceRoot, 'tools', 'kit', 'src', 'validate', 'rules');
const doc = readFileSync(join(workspaceRoot, 'docs', 'findings.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

/** The codes that have a heading of their own: `### \`code\``. */
function codeHeadings(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]!));
}

/** The codes of `codes` without a heading of their own in `markdown`. */
function undocumented(markdown: string, codes: readonly string[]): string[] {
  const headed = codeHeadings(markdown);
  return codes.filter((code) => !headed.has(code));
}

describe('docs/findings.md', () => {
  it('gives every code the kit can report a heading of its own', () => {
    const codes = [...new Set([...rules.flatMap((r) => r.codes), ...OTHER_CODES, ...PLAN_CODES, ...IMAGE_VERIFY_CODES])];
    expect(undocumented(doc, codes)).toEqual([]);
  });

  it('would catch a code only mentioned in the text, or in a table row', () => {
    const mentioned = '## Compose\n\nA `port-conflict` is when...\n\n| code | meaning |\n|---|---|\n| `port-invalid` | ... |\n\n### `image-tag-missing`\n';
    expect(undocumented(mentioned, ['port-conflict', 'port-invalid', 'image-tag-missing'])).toEqual(['port-conflict', 'port-invalid']);
  });

  it('has each code heading once', () => {
    const headings = [...doc.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]!);
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([]);
  });
});

describe('the rule registry', () => {
  it('holds every rule of the rules folder, each once', async () => {
    const files = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    const declared = new Map<Rule, string>();
    for (const file of files) {
      const module = (await import(join(rulesDir, file))) as Record<string, unknown>;
      const own = Object.values(module).filter((v): v is Rule => typeof v === 'object' && v !== null && 'check' in v && 'codes' in v);
      expect(own.length, `${file} declares one rule`).toBe(1);
      declared.set(own[0]!, file);
    }
    expect(rules.filter((r, i) => rules.indexOf(r) !== i).map((r) => declared.get(r))).toEqual([]);
    expect(files.filter((f) => ![...declared].some(([rule, file]) => file === f && rules.includes(rule)))).toEqual([]);
    expect(rules.filter((r) => !declared.has(r)).map((r) => r.description)).toEqual([]);
  });

  it('gives each rule its codes, a one-line description and a docs anchor that exists', () => {
    const anchors = new Set([...doc.matchAll(/^#{1,6} (.*)$/gm)].map((m) => anchor(m[1]!)));
    for (const rule of rules) {
      expect(rule.codes.length, rule.description).toBeGreaterThan(0);
      expect(rule.description).toMatch(/^[^\n]{10,120}$/);
      expect(rule.docs).toMatch(/^findings\.md#/);
      expect(anchors, `${rule.description}: ${rule.docs}`).toContain(rule.docs.slice('findings.md#'.length));
    }
  });
});
