import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { K3S_CONFIG_PATH, K3S_MANIFESTS_DIR, kubernetesServices, namespaceOf, type KubeObject } from '../model/kubernetes.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import { clusterObjects, deploymentOf, secretOf, serviceOf, volumesOf } from './kubernetes-objects.js';
import { secretPlaceholdersIn } from './secret-placeholder.js';
import { toYaml } from './yaml.js';

/** One file of the Flux layout: its path under kubernetes/ and the objects it holds. */
export interface KubeFile {
  /** kubernetes/<folder>/<name>.yaml */
  readonly path: string;
  /** The service it belongs to; undefined for the cluster's own objects. */
  readonly service?: string;
  readonly objects: readonly KubeObject[];
}

/**
 * The host's Kubernetes objects, one folder per app (Flux-ready: each folder has its own
 * kustomization.yaml), plus `cluster/` for the namespace and the dataset storage class. Shared
 * by the renderer and the validator, so both see the same documents.
 */
export function kubernetesFiles(lab: Lab, host: HostDef): KubeFile[] {
  const cluster = host.kubernetes;
  if (!cluster) return [];
  const files: KubeFile[] = [{ path: 'kubernetes/cluster/base.yaml', objects: clusterObjects(lab.facts, cluster) }];
  for (const service of [...kubernetesServices(host)].sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = `kubernetes/apps/${service.name}`;
    const secret = secretOf(lab.facts, cluster, service);
    const storage = volumesOf(lab.facts, cluster, service);
    files.push({ path: `${dir}/deployment.yaml`, service: service.name, objects: [deploymentOf(lab.facts, host, cluster, service)] });
    files.push({ path: `${dir}/service.yaml`, service: service.name, objects: [serviceOf(lab.facts, host, cluster, service)] });
    if (storage.length > 0) files.push({ path: `${dir}/storage.yaml`, service: service.name, objects: storage });
    if (secret) files.push({ path: `${dir}/secret.yaml`, service: service.name, objects: [secret] });
  }
  return files;
}

/** Several documents in one file, each after `---`. */
function documents(host: HostDef, objects: readonly KubeObject[]): string {
  return objects.map((o, i) => (i === 0 ? toYaml(o, { header: GENERATED(host) }) : `---\n${toYaml(o)}`)).join('');
}

/** Where k3s's deploy controller picks a file up: its AddOn is named after the base name, so the folder goes into it. */
export function addonPath(path: string): string {
  const parts = path.split('/').slice(1);
  return `${K3S_MANIFESTS_DIR}/homelab/homelab-${(parts[0] === 'apps' ? parts.slice(1) : parts).join('-')}`;
}

function kustomization(host: HostDef, resources: readonly string[], namespace?: string): Artifact['content'] {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...(namespace ? { namespace } : {}), resources: [...resources] }, { header: GENERATED(host) });
}

/**
 * The manifests of the host's k3s cluster. Each object file is also installed into k3s's
 * auto-deploy folder (deploy fills its secret placeholders on the way); the kustomization files
 * stay in the release for Flux or `kubectl apply -k` (k3s would try to apply them as objects).
 */
export function renderKubernetes(lab: Lab, host: HostDef): Artifact[] {
  const cluster = host.kubernetes;
  if (!cluster) return [];
  const files = kubernetesFiles(lab, host);
  const out: Artifact[] = files.map((f) => {
    const content = documents(host, f.objects);
    const secrets = secretPlaceholdersIn(content);
    return { path: f.path, kind: 'kubernetes', content, install: { path: addonPath(f.path), mode: '0600', owner: 'root:root', ...(secrets.length > 0 ? { secrets } : {}) } };
  });
  const folders = new Map<string, string[]>();
  for (const f of files) {
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    folders.set(dir, [...(folders.get(dir) ?? []), f.path.slice(dir.length + 1)]);
  }
  for (const [dir, resources] of folders) {
    out.push({ path: `${dir}/kustomization.yaml`, kind: 'kustomization', content: kustomization(host, resources.sort(), dir === 'kubernetes/cluster' ? undefined : namespaceOf(cluster)) });
  }
  out.push({ path: 'kubernetes/kustomization.yaml', kind: 'kustomization', content: kustomization(host, [...folders.keys()].map((d) => d.slice('kubernetes/'.length))) });
  out.push(renderK3sConfigArtifact(lab, host));
  return out;
}

/**
 * k3s's own settings (/etc/rancher/k3s/config.yaml; keys as `k3s server --help` names its flags):
 * the lab's Traefik on vm-infra routes, so k3s's bundled Traefik and its service load balancer
 * stay off; the node speaks on the host's LAN address, which the API certificate also names.
 */
export function k3sConfig(lab: Lab, host: HostDef): Record<string, unknown> {
  return {
    'node-name': host.name,
    'node-ip': host.address,
    'advertise-address': host.address,
    'tls-san': [host.address, `${host.name}.${lab.facts.domain}`],
    'write-kubeconfig-mode': '0600',
    // traefik: the lab's own routes every name; servicelb: hostPorts reach the apps;
    // local-storage: the apps' volumes are dataset folders (the homelab-datasets class).
    disable: ['traefik', 'servicelb', 'local-storage'],
  };
}

export function k3sConfigYaml(lab: Lab, host: HostDef): string {
  return toYaml(k3sConfig(lab, host), { header: GENERATED(host) });
}

function renderK3sConfigArtifact(lab: Lab, host: HostDef): Artifact {
  return { path: 'kubernetes/k3s-config.yaml', kind: 'k3s-config', content: k3sConfigYaml(lab, host), install: { path: K3S_CONFIG_PATH, mode: '0600', owner: 'root:root', restart: 'k3s' } };
}
