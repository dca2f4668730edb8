import type { HaRule } from '../model/cluster.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { haOf, haResourceId, replicationTargets } from '../model/placement.js';
import type { ProxmoxHostDef } from '../model/proxmox-host.js';
import type { Artifact } from './artifact.js';
import { nodeFileHeader, section } from './section-config.js';

const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);

/** The HA guests of the lab, by vmid. */
function haGuests(lab: Lab): HostDef[] {
  return lab.hosts.filter((h) => haOf(lab, h)).sort((a, b) => a.vmid - b.vmid);
}

/** The resources of the rules, as Proxmox writes them: `vm:122,ct:111`, sorted. */
function resourcesOf(lab: Lab, rule: HaRule): string {
  return lab.hosts.filter((h) => rule.hosts.includes(h.name)).map(haResourceId).sort().join(',');
}

/** `pve:2,pve2:1` (NodeAffinity.pm encode_plugin_value: sorted by node, a priority of 0 left out). */
export function haNodeList(nodes: Readonly<Record<string, number>>): string {
  return Object.keys(nodes).sort().map((n) => (nodes[n] ? `${n}:${nodes[n]}` : n)).join(',');
}

/** /etc/pve/ha/resources.cfg: one `vm:`/`ct:` section per HA guest (PVE 8: with the group of its node-affinity rule). */
export function haResourcesConfig(lab: Lab): string {
  const v8 = lab.facts.proxmox.cluster?.pveVersion === 8;
  const rules = lab.facts.proxmox.ha?.rules ?? [];
  return haGuests(lab)
    .map((h) => {
      const ha = haOf(lab, h)!;
      const group = v8 ? rules.find((r) => r.type === 'node-affinity' && r.hosts.includes(h.name))?.id : undefined;
      return section(h.kind === 'lxc' ? 'ct' : 'vm', String(h.vmid), [
        ['comment', ha.comment],
        ...(v8 ? ([['group', group]] as const) : ([['failback', flag(ha.failback)]] as const)),
        ['max_relocate', ha.maxRelocate],
        ['max_restart', ha.maxRestart],
        ['state', ha.state ?? 'started'],
      ]);
    })
    .join('');
}

/** /etc/pve/ha/rules.cfg (PVE 9): node-affinity and resource-affinity rules. */
export function haRulesConfig(lab: Lab): string {
  return (lab.facts.proxmox.ha?.rules ?? [])
    .map((r) =>
      r.type === 'node-affinity'
        ? section(r.type, r.id, [['comment', r.comment], ['nodes', haNodeList(r.nodes)], ['resources', resourcesOf(lab, r)], ['strict', flag(r.strict) ?? 0]])
        : section(r.type, r.id, [['affinity', r.affinity], ['comment', r.comment], ['resources', resourcesOf(lab, r)]]),
    )
    .join('');
}

/** /etc/pve/ha/groups.cfg (PVE 8): each node-affinity rule as a group (strict: restricted); its guests name it. */
export function haGroupsConfig(lab: Lab): string {
  return (lab.facts.proxmox.ha?.rules ?? [])
    .flatMap((r) => {
      if (r.type !== 'node-affinity') return [];
      const nofailback = r.hosts.some((h) => lab.facts.proxmox.ha?.guests[h]?.failback === false);
      return [section('group', r.id, [['comment', r.comment], ['nodes', haNodeList(r.nodes)], ['nofailback', flag(nofailback)], ['restricted', flag(r.strict) ?? 0]])];
    })
    .join('');
}

/** /etc/pve/replication.cfg: a `local: <vmid>-<n>` job per HA guest on ZFS and node it may fail over to. */
export function replicationConfig(lab: Lab): string {
  const repl = lab.facts.proxmox.ha?.replication;
  if (!repl) return '';
  return haGuests(lab)
    .flatMap((h) =>
      replicationTargets(lab, h).map((target, n) =>
        section('local', `${h.vmid}-${n}`, [['comment', `${h.name} to ${target} (HA)`], ['rate', repl.rateMBps], ['schedule', repl.schedule], ['target', target]]),
      ),
    )
    .join('');
}

/**
 * The cluster's HA and replication files, rendered by the Proxmox host that holds the pool when
 * the lab declares HA: resources.cfg, rules.cfg (PVE 9) or groups.cfg (PVE 8), replication.cfg.
 * Deploy merges their sections in (`install.merge: 'sections'`) and keeps the ones made in the UI.
 */
export function renderHa(lab: Lab, node: ProxmoxHostDef): Artifact[] {
  if (!lab.facts.proxmox.ha || node.pool !== lab.facts.zfs.pool) return [];
  const v8 = lab.facts.proxmox.cluster?.pveVersion === 8;
  const files: [string, string, string, string][] = [
    ['ha/resources.cfg', 'pve-ha-resources', '/etc/pve/ha/resources.cfg', haResourcesConfig(lab)],
    v8 ? ['ha/groups.cfg', 'pve-ha-groups', '/etc/pve/ha/groups.cfg', haGroupsConfig(lab)] : ['ha/rules.cfg', 'pve-ha-rules', '/etc/pve/ha/rules.cfg', haRulesConfig(lab)],
    ['replication.cfg', 'pve-replication', '/etc/pve/replication.cfg', replicationConfig(lab)],
  ];
  return files
    .filter(([, , , body]) => body !== '')
    .map(([path, kind, install, body]) => ({ path, kind, content: nodeFileHeader(node) + body, install: { path: install, merge: 'sections' as const } }));
}
