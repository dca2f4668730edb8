import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLab, renderHost } from '../src/internal.js';
import { workspaceRoot } from './support.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'homelab-dclint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// dclint ships in npm, so this real-tool check runs in the unit tier: every rendered compose
// file passes the dclint CLI with no errors and no warnings.
describe('dclint CLI', () => {
  it('accepts every rendered compose file', async () => {
    const { lab } = await loadLab(workspaceRoot);
    const files: string[] = [];
    for (const host of lab.hosts) {
      for (const a of renderHost(lab, host).artifacts.filter((x) => x.kind === 'compose')) {
        const file = join(dir, `${host.name}.${a.path.replace(/\//g, '_')}`);
        writeFileSync(file, a.content);
        files.push(file);
      }
    }
    expect(files.length).toBeGreaterThan(0);
    const bin = join(require.resolve('dclint').replace(/dist\/.*$/, ''), 'bin', 'dclint.cjs');
    const r = spawnSync(process.execPath, [bin, '--formatter', 'json', ...files], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { filePath: string; messages: { type: string; message: string }[] }[];
    expect(report.map((f) => f.filePath).sort()).toEqual([...files].sort());
    const problems = report.flatMap((f) => f.messages.map((m) => `${f.filePath}: ${m.type}: ${m.message}`));
    expect(problems).toEqual([]);
  });

  it('would catch a broken file (the check is live)', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx\n    ports:\n      - 80:80\n');
    const bin = join(require.resolve('dclint').replace(/dist\/.*$/, ''), 'bin', 'dclint.cjs');
    const r = spawnSync(process.execPath, [bin, '--formatter', 'json', file], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { messages: unknown[] }[];
    expect(report[0]!.messages.length).toBeGreaterThan(0);
  });
});
