import { describe, expect, it } from 'vitest';
import { checkKubeconfig, composeDocument, Findings, kubernetesAsCompose, kubernetesFiles, renderHost, renderKubernetes, type KubeObject, type Lab } from '../src/internal.js';
import { compareRendered, type RenderedLab } from '../src/affected/rendered.js';
import { renderedDiffMarkdown } from '../src/affected/diff.js';
import { kubernetesRemovals, kubernetesRemovalScript } from '../src/deploy/activate/kubernetes-removal.js';
import { checkKubernetesObjects } from '../src/validate/kubernetes-objects.js';
import { checkKubernetesSchema } from '../src/validate/kubernetes-schema.js';
import { realLab } from './fixtures.js';

const vmDev = realLab.hosts.find((h) => h.name === 'vm-dev')!;
const files = kubernetesFiles(realLab, vmDev);
const objects = files.flatMap((f) => f.objects);

/** The lab's objects with one changed: `change` gets a deep copy of the object of that kind. */
function withObject(kind: string, change: (o: any) => void): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== kind) return o;
    const copy = structuredClone(o) as any;
    change(copy);
    return copy as KubeObject;
  });
}

function findingsOf(list: readonly KubeObject[]): string[] {
  const findings = new Findings();
  for (const o of list) checkKubernetesSchema('vm-dev/registry', [o], findings);
  checkKubernetesObjects(list.map((object) => ({ where: 'vm-dev/registry', object })), findings);
  return findings.list.map((f) => `${f.code} @ ${f.path}`);
}

describe('the registry on vm-dev\'s k3s', () => {
  it('renders objects the Kubernetes schema and the cross-object rules accept', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Namespace', 'PersistentVolume', 'PersistentVolumeClaim', 'Secret', 'Service', 'StorageClass']);
    expect(findingsOf(objects)).toEqual([]);
  });

  it('keeps secrets out of dist/: the Secret holds placeholders deploy fills in', () => {
    const secret = renderKubernetes(realLab, vmDev).find((a) => a.path.endsWith('/secret.yaml'))!;
    expect(secret.content).toContain('registry_htpasswd: "@@homelab-secret:registry_htpasswd@@"');
    expect(secret.install?.secrets).toEqual(['registry_htpasswd']);
  });

  it('installs each object file under a name of its own in k3s\'s auto-deploy folder, and no kustomization', () => {
    const artifacts = renderKubernetes(realLab, vmDev);
    const installed = artifacts.filter((a) => a.kind === 'kubernetes').map((a) => a.install!.path);
    expect(new Set(installed.map((p) => p.split('/').pop())).size).toBe(installed.length);
    expect(installed.every((p) => p.startsWith('/var/lib/rancher/k3s/server/manifests/homelab/homelab-'))).toBe(true);
    expect(artifacts.filter((a) => a.kind === 'kustomization').every((a) => a.install === undefined)).toBe(true);
    expect(artifacts.find((a) => a.kind === 'k3s-config')?.install).toMatchObject({ path: '/etc/rancher/k3s/config.yaml', restart: 'k3s' });
  });

  it('reaches the registry where compose published it: a hostPort on vm-dev\'s address', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment') as any;
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ name: 'tcp-5000', containerPort: 5000, protocol: 'TCP', hostPort: 5000, hostIP: vmDev.address }]);
  });
});

describe('rules on the rendered objects', () => {
  it.each([
    ['a Deployment whose selector misses its pods', withObject('Deployment', (o) => (o.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'registri' })), 'kubernetes-selector-mismatch @ vm-dev/registry/Deployment.spec.selector'],
    ['a Service that selects no pods', withObject('Service', (o) => (o.spec.selector = { app: 'registry' })), 'kubernetes-selector-mismatch @ vm-dev/registry/Service.spec.selector'],
    ['a Service in another namespace than its pods', withObject('Service', (o) => (o.metadata.namespace = 'default')), 'kubernetes-selector-mismatch @ vm-dev/registry/Service.spec.selector'],
    ['a targetPort no container has, by name', withObject('Service', (o) => (o.spec.ports[0].targetPort = 'tcp-5001')), 'kubernetes-port-missing @ vm-dev/registry/Service.spec.ports[0].targetPort'],
    ['a targetPort no container has, by number', withObject('Service', (o) => (o.spec.ports[0].targetPort = 5001)), 'kubernetes-port-missing @ vm-dev/registry/Service.spec.ports[0].targetPort'],
    ['a claim on k3s\'s local-path, which is disabled', withObject('PersistentVolumeClaim', (o) => (o.spec.storageClassName = 'local-path')), 'kubernetes-storage-class-missing @ vm-dev/registry/PersistentVolumeClaim.spec.storageClassName'],
    ['a container port as a word', withObject('Deployment', (o) => (o.spec.template.spec.containers[0].ports[0].containerPort = 'five thousand')), 'kubernetes-schema @ vm-dev/registry/Deployment.spec.template.spec.containers[0].ports[0].containerPort'],
    ['a Service without ports of the right shape', withObject('Service', (o) => (o.spec.ports = 'tcp-5000')), 'kubernetes-schema @ vm-dev/registry/Service.spec.ports'],
  ])('%s', (_name, list, expected) => {
    expect(findingsOf(list)).toContain(expected);
  });

  it('names a kind it has no schema for', () => {
    const findings = new Findings();
    checkKubernetesSchema('vm-dev/registry', [{ apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'registry' } }], findings);
    expect(findings.list.map((f) => `${f.code} @ ${f.path}`)).toEqual(['kubernetes-schema @ vm-dev/registry/IngressRoute']);
  });
});

describe('moving between compose and Kubernetes', () => {
  const moved = kubernetesAsCompose(realLab.hosts);
  const asCompose: Lab = { ...realLab, hosts: moved.hosts };
  const rendered = (lab: Lab): RenderedLab => new Map(lab.hosts.map((h) => [h.name, new Map(renderHost(lab, h).artifacts.map((a) => [a.path, a.content]))]));

  it('the twin\'s lab gives the registry back to compose and names what it moved', () => {
    expect(moved.moved).toEqual(['vm-dev/registry']);
    const dev = moved.hosts.find((h) => h.name === 'vm-dev')!;
    expect(dev.kubernetes).toBeUndefined();
    expect(Object.keys(composeDocument(realLab.facts, dev).services as object)).toContain('registry');
    expect(renderHost(asCompose, dev).artifacts.filter((a) => a.path.startsWith('kubernetes/'))).toEqual([]);
  });

  it('changes nothing another host renders: routes, DNS, scrapes and firewall derive from the service alike', () => {
    const before = rendered(asCompose);
    const after = rendered(realLab);
    const changed = compareRendered(before, after).filter((c) => c.status !== 'same');
    expect(changed.map((c) => c.host)).toEqual(['vm-dev']);
    expect(changed[0]!.files.filter((f) => !f.startsWith('kubernetes/'))).toEqual(['compose.yaml', 'proxmox/snippets/vm-dev-vendor.yaml']);
  });

  it('homelab diff shows the move as it shows compose changes', () => {
    const md = renderedDiffMarkdown(rendered(asCompose), rendered(realLab), 'main');
    expect(md).toContain('+++ b/vm-dev/kubernetes/apps/registry/deployment.yaml');
    expect(md).toContain('+          image: registry:3.0.0');
    expect(md).toContain('--- a/vm-dev/compose.yaml');
    expect(md).toContain('-  registry:');
  });
});

describe('deploy moving a service back to compose', () => {
  const dev = (lab: Lab) => renderHost(lab, lab.hosts.find((h) => h.name === 'vm-dev')!).manifest;
  const inCompose: Lab = { ...realLab, hosts: kubernetesAsCompose(realLab.hosts).hosts };

  it('deletes the objects of every k3s file the new release no longer has, then the file', () => {
    const removals = kubernetesRemovals(dev(inCompose), dev(realLab));
    expect(removals).toEqual(['cluster-base', 'registry-deployment', 'registry-secret', 'registry-service', 'registry-storage'].map((n) => `/var/lib/rancher/k3s/server/manifests/homelab/homelab-${n}.yaml`));
    const script = kubernetesRemovalScript(removals.slice(1, 2)).split('\n');
    expect(script).toEqual([
      'k3s kubectl delete --ignore-not-found --cascade=foreground --wait --timeout=120s -f /var/lib/rancher/k3s/server/manifests/homelab/homelab-registry-deployment.yaml',
      'rm -f /var/lib/rancher/k3s/server/manifests/homelab/homelab-registry-deployment.yaml',
    ]);
  });

  it('removes nothing while the service stays, or on a first deploy', () => {
    expect(kubernetesRemovals(dev(realLab), dev(realLab))).toEqual([]);
    expect(kubernetesRemovals(dev(realLab), undefined)).toEqual([]);
  });
});

describe('the kubeconfig kept in the age store', () => {
  it('keeps what k3s wrote only when it is a kubeconfig', () => {
    const text = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: default\nkind: Config\n';
    expect(checkKubeconfig('vm-dev', text)).toBe(text);
    expect(() => checkKubeconfig('vm-dev', 'cat: /etc/rancher/k3s/k3s.yaml: No such file or directory\n')).toThrow(/is not a kubeconfig/);
  });
});
