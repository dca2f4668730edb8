import type { Lab } from '../model/lab.js';
import { hostIdOf, isLxcHost, proxmoxDatasetPath, type LxcHostDef } from '../model/lxc.js';
import type { Renderer } from './index.js';

/**
 * The `pct create` command line for a container that does not exist yet. It carries what the
 * configuration file cannot: `ostemplate` and the `<storage>:<GiB>` allocation of the root disk
 * are create-only parameters (pve-container's API2/LXC.pm), never keys of /etc/pve/lxc/<vmid>.conf,
 * and `unprivileged` is fixed at creation.
 */
export function pctCreateCommand(host: LxcHostDef): string[] {
  return [
    'pct', 'create', String(host.vmid), host.ostemplate,
    '--rootfs', `${host.rootfs.storage}:${host.diskGiB}`,
    '--unprivileged', host.unprivileged === false ? '0' : '1',
    '--hostname', host.name,
    '--ostype', host.ostype,
    '--arch', host.arch ?? 'amd64',
  ];
}

export interface PveLxcSetup {
  readonly vmid: number;
  readonly ostemplate: string;
  /** Run (argv, no shell) when the vmid is free; then the conf is installed over what it wrote. */
  readonly create: readonly string[];
  /** Bind-mount sources that must exist on the node before the container starts, with their host owner. */
  readonly bindMounts: readonly { readonly source: string; readonly target: string; readonly owner?: string }[];
  /** Lines /etc/subuid and /etc/subgid need for the container's `lxc.idmap` (beyond Proxmox's root:100000:65536). */
  readonly subuid: readonly string[];
  readonly subgid: readonly string[];
}

/** What the Proxmox node needs besides the conf file: the create command, mount sources and their owners, sub-ids. */
export function pveLxcSetup(lab: Lab, host: LxcHostDef): PveLxcSetup {
  const owner = (o: { uid: number; gid: number } | undefined) => {
    const uid = o && hostIdOf(host, 'u', o.uid);
    const gid = o && hostIdOf(host, 'g', o.gid);
    return uid !== undefined && gid !== undefined ? `${uid}:${gid}` : undefined;
  };
  const ids = (list: readonly number[] | undefined) => [...new Set(list ?? [])].sort((a, b) => a - b).map((id) => `root:${id}:1`);
  return {
    vmid: host.vmid,
    ostemplate: host.ostemplate,
    create: pctCreateCommand(host),
    bindMounts: (host.mounts ?? []).map((m) => ({
      source: proxmoxDatasetPath(lab.facts.zfs, m.dataset.name, m.sub),
      target: m.target,
      ...(owner(m.owner) ? { owner: owner(m.owner) } : {}),
    })),
    subuid: host.unprivileged === false ? [] : ids(host.passthroughIds?.uids),
    subgid: host.unprivileged === false ? [] : ids(host.passthroughIds?.gids),
  };
}

/** `proxmox/<vmid>.setup.json`: read by deploy on the node (create when absent, prepare mounts and sub-ids). */
export const renderPveLxcSetup: Renderer = (lab, host) =>
  isLxcHost(host)
    ? [{ path: `proxmox/${host.vmid}.setup.json`, kind: 'pve-lxc-setup', content: `${JSON.stringify(pveLxcSetup(lab, host), null, 2)}\n` }]
    : [];
