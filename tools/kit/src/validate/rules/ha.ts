import type { Findings } from '../../findings.js';
import type { HaRule } from '../../model/cluster.js';
import type { Lab } from '../../model/lab.js';
import { clusterNodes, hasVirtiofs, haNodes, mountsPool, poolNodes, replicationTargets } from '../../model/placement.js';
import { isPveCalendarEvent, isPveConfigId } from '../pve-formats.js';
import { defineRule } from '../rule.js';

const HA = 'shared/proxmox/ha';

/** The checks pve-ha-manager runs on rules.cfg (Rules.pm, Rules/*.pm): a rule it would drop is an error here. */
function checkRules(lab: Lab, findings: Findings): void {
  const rules = lab.facts.proxmox.ha?.rules ?? [];
  const nodes = new Set(clusterNodes(lab.facts));
  const ha = lab.facts.proxmox.ha?.guests ?? {};
  const seen = new Set<string>();
  const nodeAffinityOf = new Map<string, string>();
  const v8 = lab.facts.proxmox.cluster?.pveVersion === 8;
  rules.forEach((rule: HaRule, i) => {
    const at = `${HA}/rules[${i}]`;
    const bad = (field: string, message: string) => findings.error('ha-rule-invalid', `${at}.${field}`, `HA rule ${rule.id}: ${message}`);
    if (!isPveConfigId(rule.id)) bad('id', `"${rule.id}" is not a rule id Proxmox accepts (a letter, then letters, digits, '-', '_').`);
    if (seen.has(rule.id)) bad('id', 'the id is used by an earlier rule; Proxmox keeps one.');
    seen.add(rule.id);
    for (const name of rule.hosts) {
      if (!lab.hosts.some((h) => h.name === name)) bad('hosts', `names guest "${name}", which the lab does not have.`);
      else if (!ha[name]) bad('hosts', `names ${name}, which is not an HA guest (proxmox.ha.guests); the HA manager ignores rules for it.`);
    }
    if (rule.type === 'node-affinity') {
      for (const [node, priority] of Object.entries(rule.nodes)) {
        if (!nodes.has(node)) bad(`nodes.${node}`, `node ${node} is not in proxmox.nodes.`);
        if (!Number.isInteger(priority) || priority < 0) bad(`nodes.${node}`, `priority ${priority} is not a whole number of at least 0.`);
      }
      if (Object.keys(rule.nodes).length === 0) bad('nodes', 'names no node.');
      for (const name of rule.hosts) {
        if (nodeAffinityOf.has(name)) bad('hosts', `${name} is already in node-affinity rule ${nodeAffinityOf.get(name)}; a resource may be in one only.`);
        else nodeAffinityOf.set(name, rule.id);
      }
    } else {
      if (v8) bad('type', 'resource-affinity rules exist from Proxmox VE 9 on; this cluster runs 8 (proxmox.cluster.pveVersion).');
      if (rule.hosts.length < 2) bad('hosts', 'is ineffective with fewer than two guests.');
      if (rule.affinity === 'negative' && rule.hosts.length > nodes.size) bad('hosts', `keeps ${rule.hosts.length} guests apart on ${nodes.size} nodes.`);
    }
  });
  // Across types (Rules.pm): guests kept together must not be split by their node-affinity rules; together and apart cannot share two guests.
  for (const [i, rule] of rules.entries()) {
    if (rule.type !== 'resource-affinity') continue;
    const paired = rules.filter((r) => r.type === 'node-affinity' && r.hosts.some((h) => rule.hosts.includes(h)));
    const ranked = paired.find((r) => r.type === 'node-affinity' && new Set(Object.values(r.nodes)).size > 1);
    if (ranked) findings.error('ha-rule-invalid', `${HA}/rules[${i}].hosts`, `HA rule ${rule.id}: its guests are in node-affinity rule ${ranked.id}, which ranks nodes by priority; Proxmox drops both. Give that rule's nodes one priority.`);
    if (rule.affinity === 'positive' && new Set(rule.hosts.map((h) => nodeAffinityOf.get(h)).filter(Boolean)).size > 1) {
      findings.error('ha-rule-invalid', `${HA}/rules[${i}].hosts`, `HA rule ${rule.id}: its guests, kept together, are in different node-affinity rules.`);
    }
    for (const other of rules) {
      if (other.type !== 'resource-affinity' || other.affinity === rule.affinity || rule.affinity !== 'positive') continue;
      if (rule.hosts.filter((h) => other.hosts.includes(h)).length >= 2) findings.error('ha-rule-invalid', `${HA}/rules[${i}].hosts`, `HA rule ${rule.id} keeps together two guests that rule ${other.id} keeps apart.`);
    }
  }
}

/**
 * High availability: the HA guests exist, the rules are ones the HA manager keeps, a VM with
 * virtiofs mounts (which cannot migrate live) is HA only with a declared acceptance, a guest that
 * mounts the pool fails over only to nodes that hold it, and HA
 * guests on ZFS have a replication schedule to the nodes they may fail over to.
 */
export const haRule = defineRule({
  description: 'High availability: HA resources and rules Proxmox accepts, live migration and replication they need',
  docs: 'findings.md#a-proxmox-cluster-placement-capacity-ha-replication',
  codes: ['ha-invalid', 'ha-rule-invalid', 'ha-live-migration-impossible', 'ha-node-without-pool', 'ha-replication-schedule-missing', 'ha-replication-schedule-invalid'],
  check(lab, findings) {
    const ha = lab.facts.proxmox.ha;
    if (!ha) return;
    for (const [name, guest] of Object.entries(ha.guests)) {
      const host = lab.hosts.find((h) => h.name === name);
      const at = `${HA}/guests.${name}`;
      if (!host) {
        findings.error('ha-invalid', at, `"${name}" is made HA, but the lab has no such guest.`);
        continue;
      }
      for (const key of ['maxRestart', 'maxRelocate'] as const) {
        const v = guest[key];
        if (v !== undefined && (!Number.isInteger(v) || v < 0)) findings.error('ha-invalid', `${at}.${key}`, `${key} ${v} is not a whole number of at least 0.`);
      }
      const pool = poolNodes(lab);
      const bare = mountsPool(host) && pool.size > 0 ? haNodes(lab, host).filter((n) => !pool.has(n)) : [];
      if (bare.length > 0) {
        findings.error('ha-node-without-pool', at, `${name} mounts datasets of pool ${lab.facts.zfs.pool}, but the HA manager may recover it on ${bare.join(', ')}, which ${bare.length === 1 ? 'holds' : 'hold'} no copy of the pool. Add a strict node-affinity rule naming only ${[...pool].sort().join(', ')}.`);
      }
      if (hasVirtiofs(host) && !guest.offlineMigration?.trim()) {
        findings.error('ha-live-migration-impossible', at, `${name} mounts datasets over virtiofs, so Proxmox cannot migrate it live: every move and every maintenance of its node stops and starts it. Say why that is acceptable (offlineMigration: '<reason>') or do not make it HA.`);
      }
    }
    if (clusterNodes(lab.facts).length < 2) findings.warning('ha-invalid', HA, 'HA guests are declared, but proxmox.nodes lists one node: there is nowhere to fail over to.');
    checkRules(lab, findings);
    const replicated = lab.hosts.filter((h) => replicationTargets(lab, h).length > 0).map((h) => h.name);
    if (replicated.length > 0 && !ha.replication) {
      findings.error('ha-replication-schedule-missing', `${HA}/replication`, `${replicated.join(', ')} ${replicated.length === 1 ? 'is an HA guest' : 'are HA guests'} with disks on local ZFS: without replication a failover starts from no disk at all. Declare ha.replication.schedule (e.g. '*/15').`);
    }
    if (ha.replication && !isPveCalendarEvent(ha.replication.schedule)) {
      findings.error('ha-replication-schedule-invalid', `${HA}/replication.schedule`, `"${ha.replication.schedule}" is not a calendar event pvesr parses (e.g. '*/15', '*/30', 'hourly', '02:00').`);
    }
    if (ha.replication?.rateMBps !== undefined && !(ha.replication.rateMBps >= 1)) {
      findings.error('ha-replication-schedule-invalid', `${HA}/replication.rateMBps`, `rate ${ha.replication.rateMBps} is below pvesr's minimum of 1 MB/s.`);
    }
  },
});
