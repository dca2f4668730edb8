import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const docs = join(import.meta.dirname, '..', '..', '..', 'docs');
const index = readFileSync(join(docs, 'README.md'), 'utf8');
const links = [...index.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!);

describe('docs/README.md, the index of the documentation', () => {
  it('lists every page of docs/', () => {
    const pages = readdirSync(docs).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((p) => !links.includes(p))).toEqual([]);
  });

  it('links only to files that exist', () => {
    expect(links.filter((l) => !existsSync(join(docs, l)))).toEqual([]);
  });

  it('is sorted as tutorials, how-tos, reference and explanation', () => {
    expect([...index.matchAll(/^## (\w+)/gm)].map((m) => m[1])).toEqual(['Tutorials', 'How', 'Reference', 'Explanation']);
  });
});
