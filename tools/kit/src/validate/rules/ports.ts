import { defineRule, servicePath } from '../rule.js';
import { portBindAddress } from '../../model/service-facts.js';
import type { HostDef } from '../../model/host.js';
import type { PortSpec, ServiceDef } from '../../model/service.js';
import { namespaceOwner } from '../../model/routes.js';
import { healthcheckPorts } from '../service-strings.js';

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
  field: string;
  index: number;
  address: string | undefined;
  protocol: string;
  range: [number, number];
}

function overlaps(a: Claim, b: Claim): boolean {
  const sameAddress = a.address === undefined || b.address === undefined || a.address === b.address;
  return sameAddress && a.protocol === b.protocol && a.range[0] <= b.range[1] && b.range[0] <= a.range[1];
}

/** The host ports a service claims: what compose publishes, what it hands out itself, and host-network listeners. */
function claimedPorts(service: ServiceDef): { field: string; ports: readonly PortSpec[] }[] {
  const hostListeners = service.networkMode === 'host' ? (service.listen ?? []).map((target) => ({ target, bind: 'all' as const })) : [];
  return [
    { field: 'ports', ports: service.ports ?? [] },
    { field: 'allocations', ports: service.allocations ?? [] },
    { field: 'listen', ports: hostListeners },
  ];
}

function checkHostPorts(host: HostDef, report: (code: string, path: string, message: string) => void): void {
  const claims: Claim[] = [];
  for (const service of host.services) {
    for (const { field, ports } of claimedPorts(service)) {
      ports.forEach((port, index) => {
        const path = servicePath(host, service, `${field}[${index}]`);
        const published = portRange(port.published ?? port.target);
        const target = portRange(port.target);
        if (!published || !target || published[1] - published[0] !== target[1] - target[0]) {
          report('port-invalid', path, `"${port.published ?? port.target}:${port.target}" is not a port or a range of equal length on both sides (1-65535).`);
          return;
        }
        const claim = { service, field, index, address: portBindAddress(host, port), protocol: port.protocol ?? 'tcp', range: published };
        const clash = claims.find((c) => overlaps(c, claim));
        if (clash) {
          report(
            'port-conflict',
            path,
            `host port ${port.published ?? port.target}/${claim.protocol} on ${claim.address ?? 'every address'} of ${host.name} is already taken by ${clash.service.name} (${clash.field}[${clash.index}]). Pick another port for one of them.`,
          );
          return;
        }
        claims.push(claim);
      });
    }
  }
  // Services sharing a namespace (behind a VPN gateway) cannot listen on the same port. The
  // finding goes to the claim that is wrong: not to the service whose own healthcheck probes the
  // port (it really listens there); when that does not tell them apart, to every claim after the first.
  const listeners = new Map<string, Map<number, { service: ServiceDef; index: number }[]>>();
  for (const service of host.services) {
    const owner = namespaceOwner(host, service).name;
    const taken = listeners.get(owner) ?? new Map<number, { service: ServiceDef; index: number }[]>();
    listeners.set(owner, taken);
    (service.listen ?? []).forEach((port, index) => {
      const claimants = taken.get(port) ?? [];
      if (!claimants.some((c) => c.service === service)) taken.set(port, [...claimants, { service, index }]);
    });
  }
  for (const [owner, taken] of listeners) {
    for (const [port, claimants] of taken) {
      if (claimants.length < 2) continue;
      const probing = claimants.filter((c) => healthcheckPorts(c.service).some((p) => p.port === port));
      const keep = probing.length === 1 ? probing[0]! : claimants[0]!;
      for (const c of claimants) {
        if (c === keep) continue;
        report(
          'listen-conflict',
          servicePath(host, c.service, `listen[${c.index}]`),
          `${c.service.name} and ${keep.service.name} both listen on port ${port} inside ${owner}'s network namespace; only one process can bind it. Change ${c.service.name}'s port.`,
        );
      }
    }
  }
}

/**
 * Host ports are taken once per host: published ports, ports a service allocates to containers it
 * starts (Wings), and ports a host-network service listens on. A VPN gateway's ports count for
 * every service behind it.
 */
export const portsRule = defineRule({
  description: 'Host ports are taken once per host',
  docs: 'findings.md#compose-per-host',
  codes: ['port-conflict', 'port-invalid', 'listen-conflict'],
  check(lab, findings) {
    for (const host of lab.hosts) checkHostPorts(host, (code, path, message) => findings.error(code, path, message));
  },
});
