import { defineRule, servicePath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import type { LxcSpec } from '../../model/lxc.js';

/** Device nodes every guest has: an LXC container gets these from Proxmox, a VM from its own kernel. */
const EVERY_GUEST = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/console', '/dev/ptmx'];
/** And a VM's kernel makes these too; anything else (a GPU's /dev/dri, a USB stick) needs a device passed through. */
const EVERY_VM = ['/dev/kmsg', '/dev/net/tun', '/dev/fuse', '/dev/loop-control'];

/** The device nodes that exist on `host`: the guest's own, and for an LXC container those passed in. */
export function hostDevices(host: HostDef): Set<string> {
  const passed = host.kind === 'lxc' ? ((host as HostDef & Partial<LxcSpec>).devices ?? []).map((d) => d.path) : [];
  return new Set([...EVERY_GUEST, ...(host.kind === 'vm' ? EVERY_VM : []), ...passed]);
}

/**
 * A device mapping is `host[:container[:permissions]]` with absolute paths and permissions of
 * r, w, m (compose-go transform/device.go transformDeviceMapping), and names a device node the
 * guest has: the daemon stats it at start and fails with "error gathering device information"
 * (moby daemon/pkg/oci/devices_linux.go DevicesFromPath).
 */
export const devicesRule = defineRule({
  description: 'A device mapping compose parses and the host has',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['device-invalid', 'device-unavailable'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const available = hostDevices(host);
      for (const service of host.services) {
        (service.devices ?? []).forEach((spec, i) => {
          const path = servicePath(host, service, `devices[${i}]`);
          const parts = spec.split(':');
          const [source = '', target = source, permissions = 'rwm'] = parts;
          if (parts.length > 3 || !source.startsWith('/') || !target.startsWith('/') || !/^[rwm]{1,3}$/.test(permissions)) {
            findings.error('device-invalid', path, `"${spec}" is not a device mapping docker compose reads: /dev/<host path>[:/dev/<container path>[:rwm]], with absolute paths and permissions made of r, w and m.`);
            return;
          }
          if (!available.has(source)) {
            const how = host.kind === 'lxc' ? `pass it into the container (devices in packages/${host.name}/src/host.ts)` : `${host.name} is a VM with no device passed through; pass the hardware through on the Proxmox host first`;
            findings.error('device-unavailable', path, `${host.name} has no device ${source}, so the container fails to start ("error gathering device information"). ${how[0]!.toUpperCase()}${how.slice(1)}, or drop the mapping.`);
          }
        });
      }
    }
  },
});
