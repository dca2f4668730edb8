import { describe, expect, it } from 'vitest';
import {
  applyGuestWork, describeGuestWork, findGuestScript, hostContextTarget, nodeFileSteps, nodeTarget, planGuestWork, renderHost, resolveTarget, silentProgress, type HostContext, type HostDef, type Lab, type ReleaseFiles,
} from '../../src/internal.js';
import { clusterLab } from '../cluster-fixture.js';
import { recordingShell } from './local-shell.js';

// Moving a guest between nodes of the three-node lab: the cluster says where the guest is now
// (its file under /etc/pve/nodes/<node>/, the recorded previous placement), the model where it
// goes. The plan migrates it first, then applies the rest on its new node; never destroy+create.
const hostOf = (lab: Lab, name: string) => lab.hosts.find((h) => h.name === name)!;
const target = resolveTarget('pve2', '127.0.0.1', undefined, 'ssh', {});

function release(lab: Lab, host: HostDef): { local: ReleaseFiles; conf: string; confKind: string } {
  const { artifacts, manifest } = renderHost(lab, host);
  const def = artifacts.find((a) => a.kind === 'pve-qemu' || a.kind === 'pve-lxc')!;
  return { local: { manifest, files: new Map(artifacts.map((a) => [a.path, a.content])) }, conf: def.content, confKind: def.kind };
}

async function planOn(lab: Lab, name: string, previousNode: string) {
  const host = hostOf(lab, name);
  const { local, conf, confKind } = release(lab, host);
  const dir = confKind === 'pve-lxc' ? 'lxc' : 'qemu-server';
  const shell = recordingShell((s) => (s === findGuestScript(host.vmid) ? { stdout: `--conf /etc/pve/nodes/${previousNode}/${dir}/${host.vmid}.conf\n${conf}` } : {}));
  const ctx: HostContext = { request: { root: '/', lab, host, hostDir: '/', force: true }, host: host.name, env: {}, target, record: { by: 'me', commit: 'c', at: 't' }, progress: silentProgress };
  return (await planGuestWork(ctx, local, shell, nodeFileSteps(local, local.manifest)))!;
}

describe('a guest whose node changed', () => {
  it('vm-games, recorded on pve and placed on pve2 by rule, is shut down, migrated with its disks and started there (virtiofs: not live)', async () => {
    const work = await planOn(clusterLab, 'vm-games', 'pve');
    expect(work.node).toBe('pve2');
    expect(work.plan.migration).toEqual({ from: 'pve', to: 'pve2', mode: 'restart' });
    const steps = describeGuestWork(work);
    expect(steps[0]).toContain('root@192.168.0.2 --');
    expect(steps[0]).toContain('HostKeyAlias=pve ');
    expect(steps[0]).toContain('qm shutdown 123 --timeout 180; fi; qm migrate 123 pve2 --with-local-disks');
    expect(steps[1]).toContain('/etc/pve/nodes/pve2/qemu-server/123.conf');
    expect(steps[2]).toBe('qm status 123 | grep -q running || qm start 123');
    // Its definition is unchanged, so moving is all there is to do: no create, no destroy, even with --force.
    expect(steps).toHaveLength(3);
    expect(steps.join('\n')).not.toMatch(/qm (create|destroy)/);
  });

  it('a VM without virtiofs moves live', async () => {
    const lab: Lab = { ...clusterLab, hosts: clusterLab.hosts.map((h) => (h.name === 'vm-dev' ? { ...h, storage: [], services: [] } : h)) };
    const work = await planOn(lab, 'vm-dev', 'pve');
    expect(work.plan.migration).toEqual({ from: 'pve', to: 'pve2', mode: 'live' });
    expect(describeGuestWork(work)[0]).toContain('qm migrate 124 pve2 --online --with-local-disks');
  });

  it('lxc-vpn, recorded on pve2 and placed on pve3, moves with pct migrate --restart', async () => {
    const work = await planOn(clusterLab, 'lxc-vpn', 'pve2');
    expect(work.plan.migration).toEqual({ from: 'pve2', to: 'pve3', mode: 'restart' });
    const steps = describeGuestWork(work);
    expect(steps[0]).toContain('root@192.168.0.3 --');
    expect(steps[0]).toContain('pct migrate 112 pve3 --restart');
    expect(steps.join('\n')).not.toMatch(/pct (create|destroy)/);
  });

  it('a guest already on its node is not migrated', async () => {
    const work = await planOn(clusterLab, 'vm-games', 'pve2');
    expect(work.plan.migration).toBeUndefined();
    expect(describeGuestWork(work).join('\n')).not.toContain('migrate');
  });
});

describe('reaching a guest through its node', () => {
  it('connects to the node that holds the guest, at the address the facts give it', () => {
    const env = { HOME: '/nonexistent-home-for-test' };
    expect(nodeTarget(clusterLab, hostOf(clusterLab, 'vm-games'), env)).toMatchObject({ name: 'pve2', address: '192.168.0.3', via: 'proxmox' });
    expect(nodeTarget(clusterLab, hostOf(clusterLab, 'lxc-vpn'), env)).toMatchObject({ name: 'pve3', address: '192.168.0.4', via: 'proxmox' });
    // The node with a package of its own keeps it (its name, address and deploy settings).
    expect(nodeTarget(clusterLab, hostOf(clusterLab, 'vm-infra'), env)).toMatchObject({ name: 'pve', address: '192.168.0.2' });
  });
});

describe('deploy.jump: node', () => {
  it('reaches a VM through the node that holds it (ProxyJump), and a VM without it directly', () => {
    const env = { HOME: '/nonexistent-home-for-test', HOMELAB_SSH_CONFIG: 'none', HOMELAB_SSH_KNOWN_HOSTS: 'none' };
    const media = hostOf(clusterLab, 'vm-games');
    const through = hostContextTarget({ root: '/', lab: clusterLab, host: { ...media, deploy: { jump: 'node' } }, hostDir: '/', env });
    expect(through).toMatchObject({ address: media.address, via: 'ssh', jump: { name: 'pve2', address: '192.168.0.3', via: 'ssh' } });
    expect(hostContextTarget({ root: '/', lab: clusterLab, host: media, hostDir: '/', env }).jump).toBeUndefined();
  });
});

describe('a node without a package of its own, made ready through its guests', () => {
  it('plan says what pve2 lacks of the readiness steps before the guest\'s steps, and deploy meets it first', async () => {
    const host = hostOf(clusterLab, 'vm-games');
    const { local, conf } = release(clusterLab, host);
    const shell = recordingShell((s) => (s === findGuestScript(host.vmid) ? { stdout: `--conf /etc/pve/nodes/pve2/qemu-server/${host.vmid}.conf\n${conf}` } : s.includes('virtiofsd >') ? { code: 1 } : {}));
    const ctx: HostContext = { request: { root: '/', lab: clusterLab, host, hostDir: '/', force: true }, host: host.name, env: {}, target, record: { by: 'me', commit: 'c', at: 't' }, progress: silentProgress };
    const work = (await planGuestWork(ctx, local, shell))!;
    expect(work.readiness?.filter((n) => !n.ready).map((n) => n.what)).toEqual(['virtiofsd (VMs mount datasets over virtiofs)']);
    expect(describeGuestWork(work)[0]).toBe('make node pve2 ready: virtiofsd (VMs mount datasets over virtiofs) (DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd)');
    await applyGuestWork(ctx, shell, work);
    expect(shell.scripts).toContain('DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd');
  });

  it('a guest on the node with a package is not: that node is made ready by deploying its package', async () => {
    const host = hostOf(clusterLab, 'vm-infra');
    const { local, conf } = release(clusterLab, host);
    const shell = recordingShell((s) => (s === findGuestScript(host.vmid) ? { stdout: `--conf /etc/pve/nodes/pve/qemu-server/${host.vmid}.conf\n${conf}` } : {}));
    const ctx: HostContext = { request: { root: '/', lab: clusterLab, host, hostDir: '/', force: true }, host: host.name, env: {}, target, record: { by: 'me', commit: 'c', at: 't' }, progress: silentProgress };
    expect((await planGuestWork(ctx, local, shell))!.readiness).toBeUndefined();
    expect(shell.scripts.join('\n')).not.toContain('/etc/pve/mapping');
  });
});
