import type { SecretRef } from './secret.js';
import type { AdguardDef } from './adguard.js';
import type { NfsExportsDef } from './nfs.js';
import { NODE_EXPORTER_PACKAGE, type NodeExporterDef } from './node-exporter.js';
import type { SambaDef } from './samba.js';
import type { TailscaleDef } from './tailscale.js';

/**
 * A service the guest's own init system runs (an LXC's reason to exist), as opposed to a
 * Docker Compose service: each kind has its own typed settings and its own renderer.
 */
export type DaemonDef = AdguardDef | TailscaleDef | SambaDef | NfsExportsDef | NodeExporterDef;

export type DaemonKind = DaemonDef['kind'];

/** The daemons of one kind a host runs. */
export function daemonsOf<K extends DaemonKind>(host: { readonly daemons?: readonly DaemonDef[] }, kind: K): Extract<DaemonDef, { kind: K }>[] {
  return (host.daemons ?? []).filter((d): d is Extract<DaemonDef, { kind: K }> => d.kind === kind);
}

/** Every secret a daemon's files need, with the field that names it. */
export function daemonSecrets(daemon: DaemonDef): { ref: SecretRef; field: string }[] {
  switch (daemon.kind) {
    case 'adguard':
      return daemon.users.map((u, i) => ({ ref: u.passwordHash, field: `users[${i}].passwordHash` }));
    case 'tailscale':
      return [{ ref: daemon.authKey, field: 'authKey' }];
    case 'samba':
      return daemon.users.map((u, i) => ({ ref: u.ntHash, field: `users[${i}].ntHash` }));
    case 'nfs-exports':
    case 'node-exporter':
      return [];
  }
}

/**
 * The systemd unit each kind of daemon runs as, as its package or installer names it (Debian's
 * samba and prometheus-node-exporter, nfs-kernel-server on the node, Tailscale's package, AdGuard
 * Home's `-s install`), and where: in the guest, or on its Proxmox node. Deploy restarts these
 * units; homelab ps, logs and restart reach them.
 */
export const DAEMON_UNITS = {
  adguard: { unit: 'AdGuardHome.service', on: 'guest' },
  tailscale: { unit: 'tailscaled.service', on: 'guest' },
  samba: { unit: 'smbd.service', on: 'guest' },
  'nfs-exports': { unit: 'nfs-server.service', on: 'node' },
  'node-exporter': { unit: NODE_EXPORTER_PACKAGE.unit, on: 'guest' },
} as const satisfies Record<DaemonKind, { readonly unit: string; readonly on: 'guest' | 'node' }>;
