import type { SecretRef } from './secret.js';
import type { AdguardDef } from './adguard.js';
import type { NfsExportsDef } from './nfs.js';
import type { NodeExporterDef } from './node-exporter.js';
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
