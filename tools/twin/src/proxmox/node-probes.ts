import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSectionConfig, type HostDef } from '@homelab/kit/internal';
import type { TwinLab } from '../lab.js';
import { fail, ProbeLog, type ProbeResult } from '../probe.js';
import type { ProxmoxTwin } from './node.js';

/**
 * The node's /etc/pve/storage.cfg after deploy, read as Proxmox reads it (`pvesm status`, whose
 * stand-in reads the file with the kit's faithful SectionConfig reader and warns as PVE::Storage
 * does): the installer's storages and every storage of the rendered fragment are there, and no
 * line is ignored.
 */
export async function storageCfgProbes(lab: TwinLab, pve: ProxmoxTwin): Promise<ProbeResult[]> {
  const log = new ProbeLog();
  const host = pve.host.name;
  const dist = join(lab.loaded.hostDirs.get(host) ?? lab.ws.path('packages', host), 'dist');
  let fragment = '';
  try {
    fragment = readFileSync(join(dist, 'storage.cfg'), 'utf8');
  } catch {
    return log.results;
  }
  const wanted = parseSectionConfig(fragment).sections.map((s) => s.id);
  await log.check(host, 'storage', `/etc/pve/storage.cfg: Proxmox reads the installer's local, local-zfs and the lab's ${wanted.join(', ')}`, async () => {
    const r = await pve.node.exec(['pvesm', 'status']);
    if (r.code !== 0) fail(`pvesm status failed: ${r.stderr}`);
    const ids = r.stdout.split('\n').slice(1).map((l) => l.split(' ')[0]).filter(Boolean);
    const missing = ['local', 'local-zfs', ...wanted].filter((id) => !ids.includes(id));
    if (missing.length || /ignore config line/.test(r.stderr)) fail(`pvesm status lists ${ids.join(', ')}; missing ${missing.join(', ') || 'none'}; ${r.stderr.trim()}`);
    return 'read with the kit\'s SectionConfig reader, faithful to PVE::SectionConfig::parse_config (pve-common, read 2026-12-07); the file started as pve-installer writes it';
  });
  return log.results;
}

/**
 * A reboot of the node (ProxmoxTwin.reboot: every unit stopped and every container shut down, then
 * the units enabled into a target boot reaches started, then the containers with `onboot: 1` with
 * their enabled units): each unit that ran before, on the node or in a container, runs again.
 */
export async function rebootProbes(pve: ProxmoxTwin, hosts: readonly Pick<HostDef, 'name' | 'vmid'>[]): Promise<ProbeResult[]> {
  const log = new ProbeLog();
  const host = pve.host.name;
  const { before, after, guests } = await pve.reboot();
  for (const unit of before) {
    await log.check(host, 'reboot', `${unit} runs again after the node reboots`, () => {
      if (!after.includes(unit)) fail(`${unit} was active before the reboot and boot did not start it: it is not enabled (no link under /etc/systemd/system/<target>.wants)`);
    });
  }
  if (before.length === 0) log.add({ host, kind: 'reboot', name: 'the node ran units before the reboot', ok: false, detail: 'no unit was active' });
  for (const [vmid, units] of Object.entries(guests)) {
    const name = hosts.find((h) => String(h.vmid) === vmid)?.name ?? `CT ${vmid}`;
    for (const unit of units.before) {
      await log.check(name, 'reboot', `${unit} runs again in ${name} after the node reboots`, () => {
        if (units.after.length === 0) fail(`${name} did not start again with the node: its config has no onboot: 1 (pve-guests starts only those at boot)`);
        if (!units.after.includes(unit)) fail(`${unit} ran in ${name} before the reboot and its boot did not start it: it is not enabled in the container (no link under /etc/systemd/system/<target>.wants)`);
      });
    }
  }
  return log.results;
}
