import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { proxmoxDatasetPath } from '../model/lxc.js';
import type { NfsClient, NfsExportsDef } from '../model/nfs.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';
import { DAEMON_UNITS } from '../model/daemon.js';

/**
 * Every client's options, spelled out: `sync` (an acknowledged write is on disk), `no_subtree_check`
 * (the export is a whole dataset), `root_squash` (a client's root is nobody here), `sec=sys`.
 */
export function nfsClientOptions(client: NfsClient): string {
  return `${client.access},sync,no_subtree_check,root_squash,sec=sys`;
}

/** exports(5): one line per dataset, by its path on the Proxmox host; clients sorted, most specific first. */
export function nfsExports(lab: Lab, host: HostDef, nfs: NfsExportsDef): string {
  const header = GENERATED(host).map((l) => `# ${l}`);
  const lines = [...nfs.exports]
    .sort((a, b) => a.dataset.name.localeCompare(b.dataset.name))
    .map((e) => {
      const clients = [...e.clients]
        .sort((a, b) => Number(a.host.includes('/')) - Number(b.host.includes('/')) || a.host.localeCompare(b.host, 'en', { numeric: true }))
        .map((c) => `${c.host}(${nfsClientOptions(c)})`);
      return `${proxmoxDatasetPath(lab.facts.zfs, e.dataset.name)} ${clients.join(' ')}`;
    });
  return `${[...header, ...lines].join('\n')}\n`;
}

/** `<name>/homelab.exports`, for /etc/exports.d/ on the Proxmox node (where the kernel NFS server runs). */
export const renderNfsExports: Renderer = (lab, host) =>
  daemonsOf(host, 'nfs-exports').map((nfs) => ({
    path: `${nfs.name}/homelab.exports`,
    kind: 'nfs-exports',
    content: nfsExports(lab, host, nfs),
    install: { path: '/etc/exports.d/homelab.exports', on: 'proxmox-host', mode: '0644', owner: 'root:root', restart: DAEMON_UNITS['nfs-exports'].unit },
  }));
