import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installChanges, installScript, renderHost } from '../../src/internal.js';
import { clusterLab } from '../cluster-fixture.js';

// The cluster's HA and replication files reach /etc/pve by section merge: the lab's sections
// replace their namesakes, sections made in the web UI stay. The install script runs here, with
// /etc/pve moved under a temporary folder.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const pve = clusterLab.nodes!.find((n) => n.name === 'pve')!;
const { artifacts, manifest } = renderHost(clusterLab, pve);

describe('the cluster files installed on the pool node', () => {
  it('merges resources.cfg, rules.cfg and replication.cfg into what the cluster has, keeping sections made elsewhere', () => {
    const root = mkdtempSync(join(tmpdir(), 'hl-cluster-files-'));
    dirs.push(root);
    const current = join(root, 'current');
    for (const a of artifacts) {
      mkdirSync(join(current, a.path, '..'), { recursive: true });
      writeFileSync(join(current, a.path), a.content);
    }
    const etc = join(root, 'etc', 'pve');
    mkdirSync(join(etc, 'ha'), { recursive: true });
    writeFileSync(join(etc, 'ha', 'resources.cfg'), 'ct: 111\n\tstate stopped\n\nvm: 200\n\tstate started\n\tcomment made in the UI\n\n');
    writeFileSync(join(etc, 'replication.cfg'), 'local: 200-0\n\ttarget pve3\n\n');
    const changes = installChanges(manifest, undefined).filter((a) => a.path.startsWith('ha/') || a.path === 'replication.cfg');
    expect(changes.map((a) => a.install!.path).sort()).toEqual(['/etc/pve/ha/resources.cfg', '/etc/pve/ha/rules.cfg', '/etc/pve/replication.cfg']);
    const moved = changes.map((a) => ({ ...a, install: { ...a.install!, path: a.install!.path.replace('/etc/pve', etc) } }));
    execFileSync('sh', ['-e', '-c', installScript(current, moved)]);
    const resources = readFileSync(join(etc, 'ha', 'resources.cfg'), 'utf8');
    expect(resources).toContain('vm: 200\n\tstate started\n\tcomment made in the UI\n');
    expect(resources).not.toContain('state stopped');
    expect(resources).toContain('ct: 111\n\tcomment name service survives a node\n\tstate started\n');
    expect(readFileSync(join(etc, 'ha', 'rules.cfg'), 'utf8')).toBe(artifacts.find((a) => a.path === 'ha/rules.cfg')!.content);
    const replication = readFileSync(join(etc, 'replication.cfg'), 'utf8');
    expect(replication.startsWith('local: 200-0\n\ttarget pve3\n')).toBe(true);
    expect(replication).toContain('local: 120-0\n\tcomment vm-infra to pve2 (HA)\n\tschedule */15\n\ttarget pve2\n');
  });
});
