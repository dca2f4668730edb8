import { describe, expect, it } from 'vitest';
import { computePlan, describeStep, filledFiles, installScript, isGuestFile, isNodeFile, lxcDialect, planGuest, renderHost, type LocalRelease, type PveLxcSetup } from '../../src/internal.js';
import { realLab } from '../fixtures.js';

// Deploy against what the lab's renderers really write: the containers' /etc/pve files and setup
// files, files with secret placeholders, files for the Proxmox host.
const lxcHosts = realLab.hosts.filter((h) => h.kind === 'lxc');

describe("the lab's containers", () => {
  it.each(lxcHosts.map((h) => [h.name, h] as const))('%s: created with its setup (exact pct create, then its own file), in sync with itself', (_name, host) => {
    const { artifacts } = renderHost(realLab, host);
    const conf = artifacts.find((a) => a.kind === 'pve-lxc')!.content;
    const setup = JSON.parse(artifacts.find((a) => a.kind === 'pve-lxc-setup')!.content) as PveLxcSetup;
    const created = planGuest({ dialect: lxcDialect, vmid: host.vmid, node: 'pve', desired: conf, current: undefined, setup, force: false });
    const lines = created.steps.map(describeStep);
    const create = lines.indexOf(setup.create.join(' '));
    expect(create).toBeGreaterThanOrEqual(0);
    expect(lines[create + 1]).toBe(`write /etc/pve/nodes/pve/lxc/${host.vmid}.conf`);
    expect(lines.at(-1)).toBe(`pct start ${host.vmid}`);
    for (const m of setup.bindMounts) expect(lines.slice(0, create)).toContain(`mkdir -p ${m.source}`);
    for (const line of setup.subuid) expect(lines.slice(0, create)).toContain(`grep -qxF ${line} /etc/subuid || echo ${line} >> /etc/subuid`);
    const write = created.steps[create + 1]!;
    expect(write.kind === 'write' && write.content).toBe(conf);
    expect(planGuest({ dialect: lxcDialect, vmid: host.vmid, desired: conf, current: conf, setup, force: false })).toMatchObject({ steps: [], skipped: [] });
  });

  it('files are placed where their install spec says: the guest, the node, or nowhere (the guest definition)', () => {
    const smb = realLab.hosts.find((h) => h.name === 'lxc-smb')!;
    const entries = renderHost(realLab, smb).manifest.artifacts;
    expect(entries.filter(isNodeFile).map((a) => a.path)).toEqual(['nfs/homelab.exports']);
    expect(entries.filter((a) => a.kind.startsWith('pve-')).some((a) => isGuestFile(a) || isNodeFile(a))).toBe(false);
    expect(entries.filter(isGuestFile).map((a) => a.path)).toContain('samba/smb.conf');
  });
});

describe('secret placeholders', () => {
  const dns = realLab.hosts.find((h) => h.name === 'lxc-dns')!;
  const { artifacts, manifest } = renderHost(realLab, dns);
  const files = new Map(artifacts.map((a) => [a.path, a.content]));
  const withSecrets = manifest.artifacts.filter((a) => a.install?.secrets?.length);

  it('are filled on the way to the host, in files written 0600; dist keeps the placeholder', () => {
    expect(withSecrets.length).toBeGreaterThan(0);
    const names = [...new Set(withSecrets.flatMap((a) => a.install!.secrets!))];
    const values = new Map(names.map((n) => [n, Buffer.from(`VALUE-OF-${n}\n`)]));
    const filled = filledFiles({ manifest, files }, values);
    for (const a of withSecrets) {
      expect(files.get(a.path)).toContain('@@homelab-secret:');
      expect(filled.files.get(a.path)).not.toContain('@@homelab-secret:');
      for (const n of a.install!.secrets!) expect(filled.files.get(a.path)).toContain(`VALUE-OF-${n}`);
      expect(filled.privateFiles.has(a.path)).toBe(true);
    }
    expect(() => filledFiles({ manifest, files }, new Map())).toThrow(/no value for secret/);
  });

  it('never show in a plan: such a file is compared by hash, without a diff', () => {
    const a = withSecrets[0]!;
    const local = { host: dns.name, manifest, files, composeFiles: [], secrets: [], id: 'new', project: dns.name, services: {}, distDir: '', manifestText: '' } as unknown as LocalRelease;
    const before = { ...manifest, artifacts: manifest.artifacts.map((x) => (x.path === a.path ? { ...x, sha256: 'old' } : x)) };
    const info = { id: 'old', host: dns.name, project: dns.name, composeFiles: [], services: {}, manifest: before, secrets: {}, record: { by: 'b', commit: 'c', at: 't' } };
    const plan = computePlan(local, { current: 'old', info, releases: ['old'], history: [] }, new Map([[a.path, 'SECRET-VALUE-ON-HOST']]), 'root@x:22');
    const change = plan.files.find((f) => f.path === a.path)!;
    expect(change).toEqual({ path: a.path, kind: a.kind, status: 'changed', holdsSecrets: true });
    expect(JSON.stringify(plan)).not.toContain('SECRET-VALUE-ON-HOST');
  });
});

describe('installing files', () => {
  it('copies files of /etc/pve (no mode there) into a folder it makes first (a fresh node has no /etc/pve/mapping), reloads systemd for unit files, enables the unit files it installs, restarts each unit once', () => {
    const entry = (path: string, install: object) => ({ path, kind: 'x', sha256: 's', install: { path: '', ...install } });
    const script = installScript('/opt/homelab/pve/current', [
      entry('directory.cfg', { path: '/etc/pve/mapping/directory.cfg' }),
      entry('a.timer', { path: '/etc/systemd/system/a.timer', mode: '0644', owner: 'root:root', restart: 'a.timer' }),
      entry('b.conf', { path: '/etc/b.conf', restart: 'a.timer' }),
    ]);
    expect(script.split('\n')).toEqual([
      'mkdir -p /etc/pve/mapping',
      'cp /opt/homelab/pve/current/directory.cfg /etc/pve/mapping/directory.cfg',
      'install -D -m 0644 -o root -g root /opt/homelab/pve/current/a.timer /etc/systemd/system/a.timer',
      'install -D -m 0644 /opt/homelab/pve/current/b.conf /etc/b.conf',
      'systemctl daemon-reload',
      'systemctl enable a.timer',
      'systemctl restart a.timer',
    ]);
  });
});
