import { defineRule, servicePath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import type { ServiceDef } from '../../model/service.js';
import { isSecretRef } from '../../model/secret.js';
import { datasetFullName } from '../../model/zfs.js';

/** One range of an LXC id map: container ids [container, container+count) are host ids from `host`. */
interface IdRange {
  readonly kind: 'u' | 'g';
  readonly container: number;
  readonly host: number;
  readonly count: number;
}

/** Proxmox's map for an unprivileged container: `lxc.idmap = u 0 100000 65536` (and g), LXC.pm. */
const UNPRIVILEGED: readonly IdRange[] = [
  { kind: 'u', container: 0, host: 100000, count: 65536 },
  { kind: 'g', container: 0, host: 100000, count: 65536 },
];

/**
 * The container's id map. HOOK for the LXC model: main has only the guest's common fields, so
 * this reads `unprivileged` (Proxmox's option; true unless set false) and applies Proxmox's
 * default offset map. When the LXC model carries its own `lxc.idmap` (e.g. ids passed through to
 * the host), return that map here and every check below follows it.
 */
export function containerIdMap(host: HostDef): readonly IdRange[] | 'identity' {
  return (host as { unprivileged?: boolean }).unprivileged === false ? 'identity' : UNPRIVILEGED;
}

/** The host id a container id becomes, or undefined when the map leaves it unmapped (nobody). */
function toHost(map: readonly IdRange[] | 'identity', kind: 'u' | 'g', id: number): number | undefined {
  if (map === 'identity') return id;
  const range = map.find((r) => r.kind === kind && id >= r.container && id < r.container + r.count);
  return range ? range.host + (id - range.container) : undefined;
}

function numeric(value: unknown): number | undefined {
  if (isSecretRef(value)) return undefined;
  return /^\d+$/.test(String(value ?? '')) ? Number(value) : undefined;
}

/** The uid:gid the service writes as: `user` ("1000:1000"), else linuxserver's PUID/PGID, else the image's root. */
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
  return { uid: 0, gid: 0, source: 'no user or PUID given, so the image default, root' };
}

/**
 * A service in an unprivileged LXC writes a bind-mounted dataset as the host ids its container
 * ids map to; those must be the dataset's owner (the lab's appIds), or every write fails.
 */
export const storageIdsRule = defineRule({
  codes: ['lxc-bind-mount-ids'],
  check(lab, findings) {
    const owner = lab.facts.appIds;
    for (const host of lab.hosts) {
      if (host.kind !== 'lxc') continue;
      const map = containerIdMap(host);
      for (const service of host.services) {
        const ids = serviceIds(service);
        if (!ids) continue;
        (service.volumes ?? []).forEach((volume, i) => {
          if (!('dataset' in volume) || volume.readOnly) return;
          const uid = toHost(map, 'u', ids.uid);
          const gid = toHost(map, 'g', ids.gid);
          if (uid === owner.uid && gid === owner.gid) return;
          const seen = `${uid ?? 'unmapped (nobody)'}:${gid ?? 'unmapped (nogroup)'}`;
          findings.error(
            'lxc-bind-mount-ids',
            servicePath(host, service, `volumes[${i}]`),
            `${service.name} writes ${datasetFullName(volume.dataset.pool, volume.dataset.name)} as ${ids.uid}:${ids.gid} (${ids.source}) inside ${host.name}, which is ${seen} on the Proxmox host${map === 'identity' ? '' : ' (unprivileged: host id = 100000 + container id)'}; the dataset belongs to ${owner.uid}:${owner.gid} (lab appIds), so writes fail. Run the service as the container id that maps to ${owner.uid}:${owner.gid}, or pass ${owner.uid}:${owner.gid} through with an lxc.idmap entry (and root:${owner.uid}:1 in /etc/subuid and /etc/subgid).`,
          );
        });
      }
    }
  },
});
