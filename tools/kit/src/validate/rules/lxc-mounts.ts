import { inheritedSetting, isWithinDataset } from '../../model/zfs.js';
import { isLxcHost, type LxcHostDef } from '../../model/lxc.js';
import { daemonsOf } from '../../model/daemon.js';
import type { Lab } from '../../model/lab.js';
import { defineRule, hostPath } from '../rule.js';

/** `inner` is `outer` or a folder below it ('' is a dataset's root). */
const within = (inner: string, outer: string) => outer === '' || inner === outer || inner.startsWith(`${outer}/`);

/** Every folder another service marks `sensitive` (a vault, private keys): dataset, sub, who and why. */
function sensitiveFolders(lab: Lab): { dataset: string; sub: string; owner: string; why: string }[] {
  return lab.hosts.flatMap((h) =>
    h.services.flatMap((s) =>
      (s.volumes ?? []).flatMap((v) => ('dataset' in v && v.sensitive ? [{ dataset: v.dataset.name, sub: v.sub ?? '', owner: `${h.name}/${s.name}`, why: v.sensitive }] : [])),
    ),
  );
}

/** Whether something of the container itself uses the folder: a Samba share of it, or one of its services' volumes. */
function usedByContainer(host: LxcHostDef, dataset: string, sub: string): boolean {
  const overlaps = (d: string, other: string) => d === dataset && (within(sub, other) || within(other, sub));
  const shares = daemonsOf(host, 'samba').flatMap((smb) => smb.shares);
  if (shares.some((sh) => overlaps(sh.dataset.name, sh.sub ?? ''))) return true;
  return host.services.some((s) => (s.volumes ?? []).some((v) => 'dataset' in v && overlaps(v.dataset.name, v.sub ?? '')));
}

/**
 * The storage rule's checks for an LXC's bind mounts (`mounts[i]`, `mpN`): a dataset of the layout,
 * among the host's `storage`, and read-only when it belongs to another host's domain.
 */
export const lxcMountsRule = defineRule({
  description: 'The storage rule\'s checks for an LXC\'s bind mounts (`mounts[i]`, `mpN`)',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['dataset-unknown', 'dataset-not-on-host', 'dataset-not-owned', 'lxc-mount-exposes-sensitive', 'lxc-mount-owner-missing'],
  check(lab, findings) {
    const zfs = lab.facts.zfs;
    const sensitive = sensitiveFolders(lab);
    for (const host of lab.hosts) {
      if (!isLxcHost(host)) continue;
      (host.mounts ?? []).forEach((m, i) => {
        const path = hostPath(host, `mounts[${i}]`);
        const name = m.dataset.name;
        if (!Object.prototype.hasOwnProperty.call(zfs.datasets, name)) {
          findings.error('dataset-unknown', path, `${name} is not a dataset of ${zfs.pool}'s layout; add it to packages/shared/src/zfs.ts or mount one that exists.`);
          return;
        }
        if (!host.storage.some((s) => isWithinDataset(name, s.name))) {
          findings.error('dataset-not-on-host', path, `${host.name} mounts ${zfs.pool}/${name}, which is not among its storage (${host.storage.map((s) => s.name).join(', ') || 'none'}); add it to storage in src/host.ts if this host's domain includes it.`);
        }
        // Deploy creates a missing folder on the node as its owner says; without one it is root's
        // (uid 0 on the node), and an unprivileged container's root is uid 100000 there: it cannot write it.
        if (!m.readOnly && !m.owner && host.unprivileged !== false) {
          findings.error('lxc-mount-owner-missing', path, `${host.name} mounts ${zfs.pool}/${name}${m.sub ? `/${m.sub}` : ''} writable with no owner: its folder is made root-owned on the node, which the unprivileged container cannot write. Set owner: { uid, gid } (the container user that writes there), or readOnly: true.`);
        }
        const owners = inheritedSetting(zfs, name, 'owners');
        if (owners && !owners.includes(host.name) && !m.readOnly) {
          findings.error('dataset-not-owned', path, `${zfs.pool}/${name} belongs to ${owners.join(', ')}'s domain; ${host.name} may mount it read-only only (readOnly: true).`);
        }
        // A mount is a door: root in the container (or the uid its idmap passes through) reads all of it.
        for (const f of sensitive) {
          if (f.dataset !== name || !within(f.sub, m.sub ?? '') || usedByContainer(host, f.dataset, f.sub)) continue;
          findings.error(
            'lxc-mount-exposes-sensitive',
            path,
            `${host.name} mounts ${zfs.pool}/${name}${m.sub ? `/${m.sub}` : ''}, which holds ${f.sub || 'the dataset'} of ${f.owner} (${f.why}), and nothing of ${host.name} uses that folder: ` +
              `whoever takes the container reads it. Mount only the folders it serves (a mount per share's folder, with sub).`,
          );
        }
      });
    }
  },
});
