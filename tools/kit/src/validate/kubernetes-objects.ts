import type { Findings } from '../findings.js';
import type { KubeObject } from '../model/kubernetes.js';

type Doc = Record<string, any>;

/** Where a finding about an object goes: `<where>/<Kind>.<field>`. */
export interface ObjectPlace {
  readonly where: string;
  readonly object: KubeObject;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function matches(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function podLabels(o: Doc): Record<string, string> | undefined {
  return o.spec?.template?.metadata?.labels;
}

/** A list field as a list; anything else (the schema reports it) as none. */
function list(value: unknown): Doc[] {
  return Array.isArray(value) ? (value as Doc[]).filter((x) => x && typeof x === 'object') : [];
}

function podPorts(o: Doc): { name?: string; containerPort: number | string }[] {
  return list(o.spec?.template?.spec?.containers).flatMap((c) => list(c.ports) as { name?: string; containerPort: number | string }[]);
}

/**
 * What the schema cannot say about a set of objects that are applied together: a workload's
 * selector picks its own pods, a Service selects some workload's pods and each of its
 * targetPorts is a port of their containers, every volume's storage class is one of the set.
 */
export function checkKubernetesObjects(places: readonly ObjectPlace[], findings: Findings): void {
  const workloads = places.filter((p) => WORKLOADS.has(p.object.kind));
  const classes = new Set(places.filter((p) => p.object.kind === 'StorageClass').map((p) => p.object.metadata.name));
  for (const { where, object } of places) {
    const o = object as Doc;
    const at = `${where}/${object.kind}`;
    if (WORKLOADS.has(object.kind) && !matches(o.spec?.selector?.matchLabels, podLabels(o))) {
      findings.error('kubernetes-selector-mismatch', `${at}.spec.selector`, `${object.kind} ${object.metadata.name}: its selector ${JSON.stringify(o.spec?.selector?.matchLabels ?? {})} does not match its pod template's labels ${JSON.stringify(podLabels(o) ?? {})}; Kubernetes refuses it.`);
    }
    if (object.kind === 'Service') {
      const selected = workloads.filter((w) => w.object.metadata.namespace === object.metadata.namespace && matches(o.spec?.selector, podLabels(w.object as Doc)));
      if (selected.length === 0) {
        findings.error('kubernetes-selector-mismatch', `${at}.spec.selector`, `Service ${object.metadata.name}: its selector ${JSON.stringify(o.spec?.selector ?? {})} selects no workload's pods in namespace ${object.metadata.namespace ?? 'default'}: it would have no endpoints.`);
        continue;
      }
      const ports = selected.flatMap((w) => podPorts(w.object as Doc));
      for (const [i, p] of list(o.spec?.ports).entries()) {
        const target = p.targetPort ?? p.port;
        const found = typeof target === 'string' ? ports.some((c) => c.name === target) : ports.some((c) => c.containerPort === target);
        if (!found) findings.error('kubernetes-port-missing', `${at}.spec.ports[${i}].targetPort`, `Service ${object.metadata.name}: targetPort ${JSON.stringify(target)} is no port of the containers it selects (${ports.map((c) => c.name ?? c.containerPort).join(', ') || 'none'}).`);
      }
    }
    if (object.kind === 'PersistentVolumeClaim' || object.kind === 'PersistentVolume') {
      const cls = o.spec?.storageClassName as string | undefined;
      if (cls === undefined || !classes.has(cls)) {
        findings.error('kubernetes-storage-class-missing', `${at}.spec.storageClassName`, `${object.kind} ${object.metadata.name}: storage class ${JSON.stringify(cls ?? '(default)')} is not one the cluster has (${[...classes].join(', ') || 'none'}); the claim would stay Pending.`);
      }
    }
  }
}
