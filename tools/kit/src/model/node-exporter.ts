import type { NoUnknownFields } from './service.js';

/**
 * Prometheus's node-exporter as Debian packages it (`prometheus-node-exporter`): the exporter of a
 * machine's own metrics (memory, filesystems, ZFS), run by the machine's init, not by Compose.
 * An LXC lists it among its `daemons`; the Proxmox host names it as `nodeExporter`. Deploy installs
 * the package (the container's deploy with `pct exec`, the node's as a step `plan` shows), writes
 * `/etc/default/prometheus-node-exporter` (the Debian unit reads `ARGS` from it) and restarts it.
 */
export interface NodeExporterSpec {
  readonly name: string;
  /** The port it listens on, on every address of the machine (the firewall lets only the metrics store in). Default 9100. */
  readonly port?: number;
  /** Collectors to turn on beyond the defaults, e.g. `zfs` on the host that holds the pool. */
  readonly collectors?: readonly string[];
}

export interface NodeExporterDef extends NodeExporterSpec {
  readonly kind: 'node-exporter';
}

export function defineNodeExporter<const S extends NodeExporterSpec>(spec: NoUnknownFields<S, NodeExporterSpec>): S & { readonly kind: 'node-exporter' } {
  return { ...spec, kind: 'node-exporter' };
}

/** The Debian package, the command it installs, and its unit. */
export const NODE_EXPORTER_PACKAGE = { name: 'prometheus-node-exporter', command: 'prometheus-node-exporter', unit: 'prometheus-node-exporter.service' } as const;
/** Debian's textfile collector folder: `*.prom` files here are served with the machine's own metrics. */
export const NODE_EXPORTER_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
export const NODE_EXPORTER_DEFAULT_PORT = 9100;

export function nodeExporterPort(e: NodeExporterSpec): number {
  return e.port ?? NODE_EXPORTER_DEFAULT_PORT;
}

/** The ARGS line of /etc/default/prometheus-node-exporter. */
export function nodeExporterArgs(e: NodeExporterSpec): string[] {
  return [
    `--web.listen-address=:${nodeExporterPort(e)}`,
    `--collector.textfile.directory=${NODE_EXPORTER_TEXTFILE_DIR}`,
    ...[...new Set(e.collectors ?? [])].sort().map((c) => `--collector.${c}`),
  ];
}
