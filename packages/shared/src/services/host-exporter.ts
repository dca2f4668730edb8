import { defineNodeExporter } from '@homelab/kit';

/**
 * node-exporter as a machine's own daemon (Debian's prometheus-node-exporter): in each LXC, where
 * no Docker runs, and on the Proxmox host. The VMs run the container instead (node-exporter.ts).
 */
export const hostExporter = defineNodeExporter({ name: 'node-exporter', port: 9100 });

/** On the host that holds the pool: the ZFS collector (pool state, ARC) besides the defaults. */
export const poolHostExporter = defineNodeExporter({ name: 'node-exporter', port: 9100, collectors: ['zfs'] });
