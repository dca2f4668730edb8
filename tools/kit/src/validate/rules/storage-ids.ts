import { defineRule, hostPath, servicePath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import { hostIdOf, isLxcHost, UNPRIVILEGED_ID_OFFSET } from '../../model/lxc.js';
import type { ServiceDef } from '../../model/service.js';
import { isSecretRef } from '../../model/secret.js';

function numeric(value: unknown): number | undefined {
  if (isSecretRef(value)) return undefined;
  return /^\d+$/.test(String(value ?? '')) ? Number(value) : undefined;
}

/** The uid:gid a service writes as: `user` ("1000:1000"), else linuxserver's PUID/PGID, else the image's root. */
export function serviceIds(service: ServiceDef): { uid: number; gid: number; source: string } | undefined {
  if (service.user !== undefined) {
    const [uid, gid] = service.user.split(':');
    const u = numeric(uid);
    if (u === undefined) return undefined; // a user name: its id is the image's business
    return { uid: u, gid: numeric(gid) ?? u, source: `user "${service.user}"` };
  }
  const env = service.environment ?? {};
  const puid = numeric(env.PUID);
  if (puid !== undefined) return { uid: puid, gid: numeric(env.PGID) ?? puid, source: 'PUID/PGID' };
  return { uid: 0, gid: 0, source: 'no user or PUID given: the image default, root' };
}

/**
 * The id a file written as container id `id` has on the Proxmox host: unchanged from a VM
 * (virtiofs passes ids through) and a privileged container; through the container's id map
 * (Proxmox's +100000 offset, minus the ids it passes through) from an unprivileged one.
 */
function onHost(host: HostDef, kind: 'u' | 'g', id: number): number | undefined {
  if (host.kind !== 'lxc') return id;
  if (isLxcHost(host)) return hostIdOf(host, kind, id);
  return (host as { unprivileged?: boolean }).unprivileged === false ? id : UNPRIVILEGED_ID_OFFSET + id;
}

interface Writer {
  readonly host: HostDef;
  readonly path: string;
  readonly dataset: string;
  readonly sub?: string;
  /** As the writer sees itself, and as the files end up on the host. */
  readonly ids: string;
  readonly onHost: string;
  readonly source: string;
}

/** Everything that writes a dataset: services' read-write volumes, and LXC bind mounts with an owner. */
function writers(hosts: readonly HostDef[]): Writer[] {
  const out: Writer[] = [];
  const add = (host: HostDef, path: string, dataset: string, sub: string | undefined, uid: number, gid: number, source: string) =>
    out.push({ host, path, dataset, sub, ids: `${uid}:${gid}`, onHost: `${onHost(host, 'u', uid) ?? 'nobody'}:${onHost(host, 'g', gid) ?? 'nogroup'}`, source });
  for (const host of hosts) {
    for (const service of host.services) {
      const ids = serviceIds(service);
      if (!ids) continue;
      (service.volumes ?? []).forEach((v, i) => {
        if ('dataset' in v && !v.readOnly) add(host, servicePath(host, service, `volumes[${i}]`), v.dataset.name, v.sub, ids.uid, ids.gid, `${host.name}/${service.name}, ${ids.source}`);
      });
    }
    if (!isLxcHost(host)) continue;
    (host.mounts ?? []).forEach((m, i) => {
      if (!m.readOnly && m.owner) add(host, hostPath(host, `mounts[${i}]`), m.dataset.name, m.sub, m.owner.uid, m.owner.gid, `${host.name}'s mount owner`);
    });
  }
  return out;
}

/** Two writers touch the same files: one dataset, and one folder within the other's. */
function overlap(a: Writer, b: Writer): boolean {
  if (a.dataset !== b.dataset) return false;
  if (a.sub === undefined || b.sub === undefined || a.sub === b.sub) return true;
  return a.sub.startsWith(`${b.sub}/`) || b.sub.startsWith(`${a.sub}/`);
}

/**
 * Whatever writes a dataset from an LXC container ends up as the same owner on the Proxmox host
 * as every other writer of those files: an unprivileged container's id 1000 is host id 101000,
 * which cannot change what a VM's container wrote as 1000 (and the other way round).
 */
export const storageIdsRule = defineRule({
  description: 'What an LXC writes to a bind-mounted dataset is owned as every other writer\'s files on the host',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['lxc-bind-mount-ids'],
  check(lab, findings) {
    const all = writers(lab.hosts);
    // Only writers of one dataset can overlap: compare within each dataset, not across the lab.
    const byDataset = new Map<string, Writer[]>();
    for (const w of all) {
      const same = byDataset.get(w.dataset);
      if (same) same.push(w);
      else byDataset.set(w.dataset, [w]);
    }
    for (const w of all) {
      if (w.host.kind !== 'lxc') continue;
      const other = byDataset.get(w.dataset)!.find((o) => o.host !== w.host && overlap(w, o) && o.onHost !== w.onHost);
      if (!other) continue;
      const shifted = w.ids !== w.onHost ? ` (unprivileged: host id = 100000 + container id, except ids passed through with lxc.idmap)` : '';
      findings.error(
        'lxc-bind-mount-ids',
        w.path,
        `${w.host.name} writes ${lab.facts.zfs.pool}/${w.dataset}${w.sub ? `/${w.sub}` : ''} as ${w.ids} (${w.source}), which is ${w.onHost} on the Proxmox host${shifted}; ${other.source.split(',')[0]} writes the same files as ${other.onHost}, so neither can change what the other wrote. Pass the id through (passthroughIds, with root:<id>:1 in /etc/subuid and /etc/subgid) or make both write as the same ids.`,
      );
    }
  },
});
