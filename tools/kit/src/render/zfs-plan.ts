import type { Lab } from '../model/lab.js';
import type { ProxmoxHostDef } from '../model/proxmox-host.js';
import { wantedLayout } from '../zfs/wanted.js';
import type { Artifact } from './artifact.js';

/**
 * The wanted datasets and their properties (with reasons), parents first: what `homelab plan`
 * compares with `zfs list`/`zfs get` on the host and `homelab deploy` creates and sets.
 * Not installed as a file: it is the input of the plan.
 */
export function renderZfsPlan(lab: Lab, node: ProxmoxHostDef): Artifact[] {
  if (node.pool !== lab.facts.zfs.pool) return [];
  return [{ path: 'zfs-datasets.json', kind: 'zfs-plan', content: `${JSON.stringify(wantedLayout(lab.facts.zfs, lab.facts.appIds), null, 2)}\n` }];
}
