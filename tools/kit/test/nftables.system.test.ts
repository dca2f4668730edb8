import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { labMachines, nftablesRuleset } from '../src/internal.js';
import { realLab } from './fixtures.js';

const nft = requireTool('nft');
const dir = mkdtempSync(join(tmpdir(), 'homelab-nft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `nft -c -f`: the kernel's own parser and checks, without loading anything into this machine's tables. */
function check(name: string, script: string) {
  const file = join(dir, `${name}.nft`);
  writeFileSync(file, script);
  return run(nft, ['-c', '-f', file]);
}

describe('nftables: every machine\'s firewall ruleset', () => {
  it.each(labMachines(realLab).map((m) => [m.name] as const))('%s passes nft -c', (name) => {
    const r = check(name, nftablesRuleset(realLab, name));
    expect(r.code, r.stderr).toBe(0);
  });

  it('and the check can fail: a ruleset with a port nftables cannot parse is refused', () => {
    const broken = nftablesRuleset(realLab, 'vm-media').replace('dport 8989', 'dport 89899');
    const r = check('broken', broken);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('89899');
  });
});
