import { defineRule, servicePath } from '../rule.js';
import { portBindAddress } from '../../render/compose.js';
import type { HostDef } from '../../model/host.js';
import type { ServiceDef } from '../../model/service.js';
import { namespaceOwner } from '../../model/routes.js';

/** "8000" -> [8000, 8000]; "27015-27030" -> [27015, 27030]. */
export function portRange(value: number | string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(value));
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return first <= last && last <= 65535 ? [first, last] : undefined;
}

interface Claim {
  service: ServiceDef;
  index: number;
  address: string | undefined;
  protocol: string;
  range: [number, number];
}

function overlaps(a: Claim, b: Claim): boolean {
  const sameAddress = a.address === undefined || b.address === undefined || a.address === b.address;
  return sameAddress && a.protocol === b.protocol && a.range[0] <= b.range[1] && b.range[0] <= a.range[1];
}

function checkHostPorts(host: HostDef, report: (code: string, path: string, message: string) => void): void {
  const claims: Claim[] = [];
  for (const service of host.services) {
    (service.ports ?? []).forEach((port, index) => {
      const path = servicePath(host, service, `ports[${index}]`);
      const published = portRange(port.published ?? port.target);
      const target = portRange(port.target);
      if (!published || !target || published[1] - published[0] !== target[1] - target[0]) {
        report('port-invalid', path, `"${port.published ?? port.target}:${port.target}" is not a port or a range of equal length on both sides (1-65535).`);
        return;
      }
      const claim = { service, index, address: portBindAddress(host, port), protocol: port.protocol ?? 'tcp', range: published };
      const clash = claims.find((c) => overlaps(c, claim));
      if (clash) {
        report(
          'port-conflict',
          path,
          `host port ${port.published ?? port.target}/${claim.protocol} on ${claim.address ?? 'every address'} of ${host.name} is already published by ${clash.service.name} (ports[${clash.index}]). Pick another published port for one of them.`,
        );
        return;
      }
      claims.push(claim);
    });
  }
  // Services sharing a namespace (behind a VPN gateway) cannot listen on the same port.
  const listeners = new Map<string, Map<number, ServiceDef>>();
  for (const service of host.services) {
    const owner = namespaceOwner(host, service);
    const taken = listeners.get(owner.name) ?? new Map<number, ServiceDef>();
    listeners.set(owner.name, taken);
    (service.listen ?? []).forEach((port, index) => {
      const other = taken.get(port);
      if (other && other !== service) {
        report(
          'listen-conflict',
          servicePath(host, service, `listen[${index}]`),
          `${service.name} and ${other.name} both listen on port ${port} inside ${owner.name}'s network namespace; only one process can bind it. Change one service's port.`,
        );
      } else taken.set(port, service);
    });
  }
}

/** Host ports are published once per host; a VPN gateway's ports count for every service behind it. */
export const portsRule = defineRule({
  codes: ['port-conflict', 'port-invalid', 'listen-conflict'],
  check(lab, findings) {
    for (const host of lab.hosts) checkHostPorts(host, (code, path, message) => findings.error(code, path, message));
  },
});
