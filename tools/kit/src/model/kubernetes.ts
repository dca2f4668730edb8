import type { ServiceDef } from './service.js';

/**
 * A k3s cluster on a host (single server): the host's services marked `runtime: 'kubernetes'`
 * run in it instead of in its compose stack (docs/kubernetes.md).
 */
export interface KubernetesSpec {
  readonly distribution: 'k3s';
  /** The k3s release deploy installs (INSTALL_K3S_VERSION), e.g. v1.34.1+k3s1. */
  readonly version: string;
  /** The namespace the lab's apps run in; default `homelab`. */
  readonly namespace?: string;
}

/** The storage class of the static PersistentVolumes on the host's datasets (no provisioner). */
export const DATASET_STORAGE_CLASS = 'homelab-datasets';
/** Where k3s applies every manifest file it finds (AddOns, named after the file's base name). */
export const K3S_MANIFESTS_DIR = '/var/lib/rancher/k3s/server/manifests';
export const K3S_CONFIG_PATH = '/etc/rancher/k3s/config.yaml';
/** The age-store secret that holds the cluster's kubeconfig (docs/kubernetes.md). */
export const KUBECONFIG_SECRET = 'k3s_kubeconfig';

export function namespaceOf(cluster: KubernetesSpec): string {
  return cluster.namespace ?? 'homelab';
}

export function runsOnKubernetes(service: ServiceDef): boolean {
  return service.runtime === 'kubernetes';
}

/** The services of a stack that compose runs. */
export function composeServices(stack: { readonly services: readonly ServiceDef[] }): ServiceDef[] {
  return stack.services.filter((s) => !runsOnKubernetes(s));
}

/** The services of a stack that its k3s cluster runs. */
export function kubernetesServices(stack: { readonly services: readonly ServiceDef[] }): ServiceDef[] {
  return stack.services.filter(runsOnKubernetes);
}

/**
 * Set (to 1) by the lab twin, which has no k3s: every loader then gives each host's Kubernetes
 * services to its compose stack instead and drops the cluster, so the twin's build, deploy and
 * probes see one consistent lab (docs/twin.md, docs/kubernetes.md). Never set it for the real lab.
 */
export const KUBERNETES_AS_COMPOSE_ENV = 'HOMELAB_TWIN_KUBERNETES_AS_COMPOSE';

/** The lab with every Kubernetes service run by compose, and the `host/service` names it moved. */
export function kubernetesAsCompose<H extends { readonly name: string; readonly services: readonly ServiceDef[]; readonly kubernetes?: unknown }>(hosts: readonly H[]): { hosts: H[]; moved: string[] } {
  const moved: string[] = [];
  const out = hosts.map((h) => {
    if (!h.kubernetes && !h.services.some(runsOnKubernetes)) return h;
    for (const s of h.services.filter(runsOnKubernetes)) moved.push(`${h.name}/${s.name}`);
    const { kubernetes: _cluster, ...rest } = h;
    return { ...rest, services: h.services.map((s) => (runsOnKubernetes(s) ? { ...s, runtime: undefined } : s)) } as unknown as H;
  });
  return { hosts: out, moved };
}

/** A Kubernetes object as a plain document (apiVersion, kind, metadata, ...). */
export type KubeObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string; readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> } };
