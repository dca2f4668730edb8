import type { HostDef } from '../../model/host.js';
import type { ServiceDef } from '../../model/service.js';
import { runsOnKubernetes } from '../../model/kubernetes.js';
import { parseUidGid } from '../../model/image-facts.js';
import { kubernetesFiles } from '../../render/kubernetes.js';
import { checkKubernetesObjects } from '../kubernetes-objects.js';
import { checkKubernetesSchema } from '../kubernetes-schema.js';
import { defineRule, hostPath, servicePath } from '../rule.js';

/** Compose settings with no counterpart in the manifests the renderer writes. */
const UNSUPPORTED: readonly (keyof ServiceDef)[] = [
  'networkMode', 'pid', 'privileged', 'devices', 'sysctls', 'extraHosts', 'dns', 'macAddress', 'dependsOn', 'networks',
  'init', 'shmSize', 'tmpfs', 'labels', 'allocations', 'memLimit', 'cpus', 'stopGracePeriod', 'securityOpt',
];

const K3S_VERSION = /^v\d+\.\d+\.\d+\+k3s\d+$/;

/** The fields of a service its Kubernetes manifests cannot carry, each with why. */
function unsupportedFields(service: ServiceDef): { field: string; why: string }[] {
  const out: { field: string; why: string }[] = [];
  for (const key of UNSUPPORTED) if (service[key] !== undefined) out.push({ field: key, why: 'the Kubernetes renderer has no counterpart for it' });
  if (service.restart === 'no' || service.restart === 'on-failure') out.push({ field: 'restart', why: 'a Deployment always restarts its pod' });
  if (typeof service.command === 'string') out.push({ field: 'command', why: 'a string is split by a shell in compose; give the arguments as a list' });
  if (typeof service.entrypoint === 'string') out.push({ field: 'entrypoint', why: 'a string is split by a shell in compose; give the arguments as a list' });
  if (service.user !== undefined && !parseUidGid(service.user)) out.push({ field: 'user', why: 'Kubernetes takes numeric ids: give uid:gid' });
  for (const [i, v] of (service.volumes ?? []).entries()) {
    if (!('dataset' in v)) out.push({ field: `volumes[${i}]`, why: 'only dataset folders become PersistentVolumes' });
  }
  for (const [i, p] of (service.ports ?? []).entries()) {
    if (p.bind === 'loopback') out.push({ field: `ports[${i}]`, why: "a hostPort on the host's loopback is not reachable the way compose's is" });
  }
  return out;
}

function checkHost(host: HostDef, report: (code: string, path: string, message: string) => void): void {
  for (const service of host.services.filter(runsOnKubernetes)) {
    if (!host.kubernetes) {
      report('kubernetes-runtime-without-cluster', servicePath(host, service, 'runtime'), `${service.name} runs on Kubernetes, but ${host.name} has no cluster: set \`kubernetes\` on the host (docs/kubernetes.md), or drop \`runtime\` to keep it in compose.`);
    }
    for (const { field, why } of unsupportedFields(service)) {
      report('kubernetes-field-unsupported', servicePath(host, service, field), `${service.name}.${field} cannot move to Kubernetes: ${why}. Keep the service in compose (drop \`runtime: 'kubernetes'\`) or drop the setting.`);
    }
  }
  if (host.kubernetes && !K3S_VERSION.test(host.kubernetes.version)) {
    report('k3s-version-invalid', hostPath(host, 'kubernetes.version'), `"${host.kubernetes.version}" is not a k3s release name (like v1.34.1+k3s1, as https://github.com/k3s-io/k3s/releases lists them); the installer would fail.`);
  }
}

/** Services on a host's k3s cluster: what can move, and the rendered objects checked against the API schema and each other. */
export const kubernetesRule = defineRule({
  description: 'Services on a host\'s k3s cluster: fields it supports, manifests valid, selectors and ports matching',
  docs: 'findings.md#kubernetes-a-hosts-k3s-cluster-kubernetes-per-host',
  codes: ['kubernetes-runtime-without-cluster', 'kubernetes-field-unsupported', 'k3s-version-invalid', 'kubernetes-schema', 'kubernetes-selector-mismatch', 'kubernetes-port-missing', 'kubernetes-storage-class-missing'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const before = findings.errors.length;
      checkHost(host, (code, path, message) => findings.error(code, path, message));
      // Manifests of services that cannot move would only restate those findings.
      if (!host.kubernetes || findings.errors.length > before) continue;
      const files = kubernetesFiles(lab, host);
      for (const f of files) checkKubernetesSchema(`${host.name}/${f.service ?? 'kubernetes'}`, f.objects, findings);
      checkKubernetesObjects(files.flatMap((f) => f.objects.map((object) => ({ where: `${host.name}/${f.service ?? 'kubernetes'}`, object }))), findings);
    }
  },
});
