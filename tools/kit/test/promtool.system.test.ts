import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderHost } from '../src/index.js';
import { realLab } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Prometheus's own checker reads the rendered scrape configuration.
describe('promtool check config', () => {
  const promtool = requireTool('promtool');
  const rendered = realLab.hosts.flatMap((h) => renderHost(realLab, h).artifacts.filter((a) => a.kind === 'prometheus').map((a) => ({ host: h.name, a })));

  it('has a Prometheus configuration to check', () => expect(rendered.length).toBe(1));

  it.each(rendered.map((r) => [`${r.host}/${r.a.path}`, r] as const))('accepts %s', (_name, { a }) => {
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, a.content);
    const r = run(promtool, ['check', 'config', file]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a broken configuration (the check is live)', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'scrape_configs:\n  - job_name: x\n    scrape_interval: often\n');
    expect(run(promtool, ['check', 'config', file]).code).not.toBe(0);
  });
});
