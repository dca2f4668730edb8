import { DAEMON_UNITS, type DaemonDef } from '../model/daemon.js';
import type { Lab } from '../model/lab.js';
import { composeServices, kubernetesServices, namespaceOf } from '../model/kubernetes.js';
import { isProxmoxHost, labMachines, type Machine } from '../model/proxmox-host.js';
import { didYouMean } from '../common/suggest.js';
import { DeployError } from '../common/errors.js';

/**
 * One thing of the lab that runs, as `homelab ps`, `logs`, `exec` and `restart` reach it: a
 * compose service's container, a Kubernetes deployment of a host's k3s, or a systemd unit (an
 * LXC's daemon, a node's exporter). The owner names it `host/service`, or by its name alone when
 * only one host has it.
 */
export type LabService = ContainerService | KubernetesService | UnitService;

interface ServiceBase {
  /** The machine the model places it on (the host package's name). */
  readonly host: string;
  readonly service: string;
}

export interface ContainerService extends ServiceBase {
  readonly kind: 'container';
  /** The image (with its digest) the model pins. */
  readonly image: string;
}

export interface KubernetesService extends ServiceBase {
  readonly kind: 'kubernetes';
  readonly image: string;
  readonly namespace: string;
}

export interface UnitService extends ServiceBase {
  readonly kind: 'unit';
  readonly unit: string;
  /** `guest`: inside the host (an LXC through its node's `pct exec`); `node`: on the Proxmox node itself. */
  readonly on: 'guest' | 'node';
}

/** The systemd unit a daemon runs as, and where (DAEMON_UNITS). */
export function daemonUnit(daemon: DaemonDef): { readonly unit: string; readonly on: 'guest' | 'node' } {
  return DAEMON_UNITS[daemon.kind];
}

/** Everything one machine runs, in the model's order. */
export function machineServices(machine: Machine): LabService[] {
  const host = machine.name;
  // The node's own exporter runs on the node itself: for the node, "guest" is the machine reached.
  if (isProxmoxHost(machine)) return machine.nodeExporter ? [{ kind: 'unit', host, service: machine.nodeExporter.name, ...daemonUnit(machine.nodeExporter) }] : [];
  const out: LabService[] = composeServices(machine).map((s) => ({ kind: 'container', host, service: s.name, image: s.image }));
  const cluster = machine.kubernetes;
  if (cluster) out.push(...kubernetesServices(machine).map((s): KubernetesService => ({ kind: 'kubernetes', host, service: s.name, image: s.image, namespace: namespaceOf(cluster) })));
  for (const d of machine.daemons ?? []) out.push({ kind: 'unit', host, service: d.name, ...daemonUnit(d) });
  return out;
}

/** Every service of the lab, by machine name. */
export function labServices(lab: Lab): LabService[] {
  return labMachines(lab).flatMap(machineServices);
}

/** a, b and c */
const listed = (names: readonly string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/**
 * The service `ref` names: `host/service`, or `service` when exactly one machine has one of that
 * name. An unknown or ambiguous name is a DeployError naming what the lab has.
 */
export function findService(lab: Lab, ref: string): LabService {
  const all = labServices(lab);
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const host = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    const machines = labMachines(lab).map((m) => m.name);
    if (!machines.includes(host)) throw new DeployError('unknown-host', `the lab has no host "${host}".${didYouMean(host, machines)} Its hosts: ${machines.join(', ')}.`);
    const mine = all.filter((s) => s.host === host);
    const found = mine.find((s) => s.service === name);
    if (!found) {
      const names = mine.map((s) => s.service);
      throw new DeployError('unknown-service', `${host} has no service "${name}".${didYouMean(name, names)} ${names.length > 0 ? `Its services: ${names.join(', ')}.` : 'It runs no service.'}`);
    }
    return found;
  }
  const matches = all.filter((s) => s.service === ref);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new DeployError('ambiguous-service', `"${ref}" runs on ${listed(matches.map((s) => s.host))}: name one, e.g. ${matches[0]!.host}/${ref}.`);
  const names = [...new Set(all.map((s) => s.service))];
  throw new DeployError('unknown-service', `the lab has no service "${ref}".${didYouMean(ref, names)} \`homelab ps\` lists every service; name one as host/service or by its name alone.`);
}
