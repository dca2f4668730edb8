import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { loadLab, renderHost } from '../src/internal.js';
import { workspaceRoot } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-cloud-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// cloud-init itself checks every VM's vendor data against its schema (`cloud-init schema`), as
// the guest would read it on first boot: with the lab's CA recorded (the test CA of the unit
// fixtures), so ca_certs and Docker's certs.d files are checked too.
describe('cloud-init schema', async () => {
  const cloudInit = requireTool('cloud-init');
  const caCertificate = readFileSync(join(import.meta.dirname, 'fixtures', 'tls', 'ca.crt'), 'utf8');
  const lab = { ...(await loadLab(workspaceRoot)).lab, caCertificate };
  const cases = lab.hosts.flatMap((host) =>
    renderHost(lab, host).artifacts.filter((a) => a.kind === 'cloud-init').map((artifact) => ({ host, artifact })),
  );

  it('has a vendor data file for every VM', () => {
    expect(cases.map((c) => c.host.name).sort()).toEqual(lab.hosts.filter((h) => h.kind === 'vm').map((h) => h.name).sort());
  });

  it.each(cases.map((c) => [`${c.host.name}/${c.artifact.path}`, c] as const))('accepts %s', (_name, { host, artifact }) => {
    const file = join(dir, `${host.name}.yaml`);
    writeFileSync(file, artifact.content);
    const r = run(cloudInit, ['schema', '--config-file', file]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout).toContain('Valid cloud-config');
    expect(r.code).toBe(0);
    expect(artifact.content).toContain('ca_certs:');
  });

  it('rejects a broken file (the check is live)', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, '#cloud-config\nwrite_files:\n  - path: /etc/x\n    permisions: "0644"\n');
    const r = run(cloudInit, ['schema', '--config-file', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('permisions');
  });

  it('rejects a misspelt ca_certs (the CA would silently not be trusted)', () => {
    const file = join(dir, 'broken-ca.yaml');
    writeFileSync(file, `#cloud-config\nca_certs:\n  trustd:\n    - |\n${caCertificate.trim().split('\n').map((l) => `      ${l}`).join('\n')}\n`);
    const r = run(cloudInit, ['schema', '--config-file', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('trustd');
  });
});
