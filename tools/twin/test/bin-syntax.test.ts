import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The stand-ins under bin/ run inside the twin's namespaces only (pct, systemctl, apt-get...): a
// syntax error there shows as every deploy failing minutes into a twin run. Node compiles each here.
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin');

describe("the twin's stand-in scripts", () => {
  it.each(readdirSync(bin).filter((f) => f.endsWith('.mjs')))('%s compiles', (file) => {
    const r = spawnSync(process.execPath, ['--check', join(bin, file)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
