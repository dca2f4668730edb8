import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertGroups } from '../src/internal.js';

const doc = readFileSync(new URL('../../../docs/reliability.md', import.meta.url), 'utf8');

describe('docs/reliability.md', () => {
  const rows = [...doc.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);

  it('has one row per alert the lab renders, in their order', () => {
    expect(rows).toEqual(alertGroups.flatMap((g) => g.rules.map((r) => r.alert)));
  });

  it('says plainly that the twin does not prove the faults yet', () => {
    expect(doc).toContain('fault-injection proof is not done yet');
  });
});
