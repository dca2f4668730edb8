import type { AdguardSpec } from './adguard.js';
import type { DaemonKind } from './daemon.js';
import type { GuestSpec, StackSpec } from './host.js';
import type { LxcOptions } from './lxc.js';
import type { NfsExportsSpec } from './nfs.js';
import type { NodeExporterSpec } from './node-exporter.js';
import type { QemuOptions } from './qemu.js';
import type { SambaSpec } from './samba.js';
import type { TailscaleSpec } from './tailscale.js';

/**
 * The fields each define* helper of a host takes, for the rule that refuses any other: a
 * misspelled field (`memroyMiB`, `allowFrom` as `alowFrom`) passes a spec the type never saw (built
 * by a function, spread, written in JavaScript) and the build drops it. Each list is held complete
 * by the type below it: a field added to a spec type and not listed here is a type error naming it.
 */
type Unlisted<T, L extends readonly PropertyKey[]> = Exclude<keyof T, L[number]>;

export const GUEST_FIELDS = ['name', 'kind', 'vmid', 'node', 'address', 'cores', 'memoryMiB', 'diskGiB', 'storage', 'description', 'deploy'] as const satisfies readonly (keyof GuestSpec)[];
export const STACK_FIELDS = ['services', 'daemons', 'volumes', 'networks', 'kubernetes'] as const satisfies readonly (keyof StackSpec)[];
export const QEMU_FIELDS = ['proxmox', 'startup', 'onboot', 'ostype', 'bios', 'machine', 'cpu', 'tags', 'disk', 'cloudInit', 'mac'] as const satisfies readonly (keyof QemuOptions)[];
export const LXC_FIELDS = ['ostemplate', 'ostype', 'arch', 'swapMiB', 'rootfs', 'unprivileged', 'features', 'onboot', 'startup', 'tags', 'mounts', 'devices', 'passthroughIds', 'nameservers', 'hwaddr', 'raw'] as const satisfies readonly (keyof LxcOptions)[];

/** The fields of each daemon's spec (defineAdguard, defineTailscale, ...). */
export const DAEMON_FIELDS = {
  adguard: ['name', 'version', 'sha256', 'installDir', 'httpPort', 'dns', 'filters', 'hostRecords', 'rewrites', 'users'],
  tailscale: ['name', 'advertiseRoutes', 'advertiseExitNode', 'acceptDns', 'snatSubnetRoutes', 'advertiseTags', 'grants', 'authKey', 'port'],
  samba: ['name', 'workgroup', 'netbiosName', 'forceUser', 'allowFrom', 'users', 'shares'],
  'nfs-exports': ['name', 'server', 'exports'],
  'node-exporter': ['name', 'port', 'collectors'],
} as const satisfies {
  readonly adguard: readonly (keyof AdguardSpec)[];
  readonly tailscale: readonly (keyof TailscaleSpec)[];
  readonly samba: readonly (keyof SambaSpec)[];
  readonly 'nfs-exports': readonly (keyof NfsExportsSpec)[];
  readonly 'node-exporter': readonly (keyof NodeExporterSpec)[];
} & Record<DaemonKind, readonly string[]>;

export const KNOWN_FIELDS_COMPLETE: [
  | Unlisted<GuestSpec, typeof GUEST_FIELDS>
  | Unlisted<StackSpec, typeof STACK_FIELDS>
  | Unlisted<QemuOptions, typeof QEMU_FIELDS>
  | Unlisted<LxcOptions, typeof LXC_FIELDS>
  | Unlisted<AdguardSpec, typeof DAEMON_FIELDS.adguard>
  | Unlisted<TailscaleSpec, typeof DAEMON_FIELDS.tailscale>
  | Unlisted<SambaSpec, typeof DAEMON_FIELDS.samba>
  | Unlisted<NfsExportsSpec, (typeof DAEMON_FIELDS)['nfs-exports']>
  | Unlisted<NodeExporterSpec, (typeof DAEMON_FIELDS)['node-exporter']>,
] extends [never] ? true : never = true;
