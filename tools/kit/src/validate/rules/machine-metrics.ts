import { daemonsOf } from '../../model/daemon.js';
import { machineExporters } from '../../model/exporters.js';
import { machineFlows } from '../../model/firewall.js';
import { labMachines, poolHost } from '../../model/proxmox-host.js';
import { findRole } from '../../model/wiring.js';
import { defineRule } from '../rule.js';

/**
 * The machines without a Compose stack (the LXCs, the Proxmox host) are scraped too: each runs
 * node-exporter (Debian's package) on a port nothing else of the machine uses. The pool's host
 * without one leaves the ZFS alerts and the snapshot and replication ages without data.
 */
export const machineMetricsRule = defineRule({
  description: 'The machines without a Compose stack (the LXCs, the Proxmox host) are scraped too',
  docs: 'findings.md#across-the-lab',
  codes: ['host-metrics-missing', 'exporter-port-conflict'],
  check(lab, findings) {
    const store = findRole(lab, 'metrics-store');
    if (store) {
      const pool = poolHost(lab);
      for (const m of labMachines(lab)) {
        if (m.kind === 'pve' && !m.nodeExporter) {
          const why = m === pool ? `: the ZFS alerts (pool degraded) and the snapshot and replication ages of ${m.pool} have no data without it` : '';
          findings.error('host-metrics-missing', `${m.name}/nodeExporter`, `${store.service.name} scrapes no metrics of the Proxmox host ${m.name}${why}. Set nodeExporter: poolHostExporter (packages/shared) in packages/${m.name}/src/host.ts.`);
        }
        if (m.kind === 'lxc' && daemonsOf(m, 'node-exporter').length === 0) {
          findings.error('host-metrics-missing', `${m.name}/daemons`, `${store.service.name} scrapes no metrics of ${m.name} (memory, disk, its daemons' processes): add hostExporter (packages/shared) to its daemons in packages/${m.name}/src/index.ts.`);
        }
      }
    }
    for (const e of machineExporters(lab)) {
      const other = machineFlows(lab, e.machine).find((f) => f.protocol === 'tcp' && f.port === String(e.port) && f.owner !== e.exporter.name);
      if (other) findings.error('exporter-port-conflict', `${e.field}/port`, `${e.exporter.name} on ${e.machine} listens on ${e.port}, which ${other.owner} already uses (${other.path}); one of them cannot start. Give ${e.exporter.name} another port (9100 is its default).`);
    }
  },
});
