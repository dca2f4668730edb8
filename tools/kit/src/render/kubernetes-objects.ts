import type { HostDef } from '../model/host.js';
import type { LabFacts } from '../model/lab.js';
import type { HealthcheckSpec, PortSpec, ServiceDef } from '../model/service.js';
import { DATASET_STORAGE_CLASS, namespaceOf, type KubeObject, type KubernetesSpec } from '../model/kubernetes.js';
import { isSecretRef, secretEnvValue } from '../model/secret.js';
import { parseUidGid } from '../model/image-facts.js';
import { durationMs } from '../common/compose-units.js';
import { datasetHostPath, dropUndefined } from './compose.js';
import { portBindAddress, serviceSecrets } from '../model/service-facts.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { startUser } from './volume-dirs.js';

/** The label the Deployment's selector and the Service's selector both use. */
export const APP_LABEL = 'app.kubernetes.io/name';
/** The nominal size of a PersistentVolume on a dataset folder: hostPath does not enforce it, the dataset's quota does. */
const NOMINAL_SIZE = '1Gi';

function labels(facts: LabFacts, service: ServiceDef): Record<string, string> {
  return { [APP_LABEL]: service.name, 'app.kubernetes.io/managed-by': 'homelab-as-code', 'app.kubernetes.io/part-of': facts.name };
}

/** A container port's name (IANA_SVC_NAME, at most 15 characters): tcp-5000. */
export function portName(port: number | string, protocol: string = 'tcp'): string {
  return `${protocol}-${port}`;
}

interface ContainerPort {
  readonly name: string;
  readonly containerPort: number | string;
  readonly protocol: 'TCP' | 'UDP';
  readonly hostPort?: number | string;
  readonly hostIP?: string;
}

/**
 * Every port the container listens on: its published ports with a hostPort on the host's address
 * (how the lab's Traefik on vm-infra reaches it, exactly as it reached the compose port), then
 * the ports it only listens on.
 */
export function containerPorts(host: HostDef, service: ServiceDef): ContainerPort[] {
  const out = new Map<string, ContainerPort>();
  for (const p of service.ports ?? []) {
    const protocol = p.protocol ?? 'tcp';
    out.set(portName(p.target, protocol), { name: portName(p.target, protocol), containerPort: p.target, protocol: protocol === 'udp' ? 'UDP' : 'TCP', hostPort: p.published ?? p.target, hostIP: hostIp(host, p) });
  }
  for (const port of service.listen ?? []) if (!out.has(portName(port))) out.set(portName(port), { name: portName(port), containerPort: port, protocol: 'TCP' });
  return [...out.values()];
}

function hostIp(host: HostDef, port: PortSpec): string | undefined {
  return portBindAddress(host, port);
}

function seconds(duration: string | undefined): number | undefined {
  const ms = duration === undefined ? undefined : durationMs(duration);
  return ms === undefined ? undefined : Math.max(1, Math.round(ms / 1000));
}

/** A compose healthcheck as a probe: CMD runs as exec, CMD-SHELL through sh -c. */
export function probeOf(check: HealthcheckSpec | undefined): Record<string, unknown> | undefined {
  if (!check || check.test[0] === 'NONE' || check.test.length < 2) return undefined;
  const command = check.test[0] === 'CMD-SHELL' ? ['sh', '-c', check.test.slice(1).join(' ')] : check.test.slice(1);
  return dropUndefined({ exec: { command }, periodSeconds: seconds(check.interval), timeoutSeconds: seconds(check.timeout), failureThreshold: check.retries, initialDelaySeconds: seconds(check.startPeriod) });
}

/** The claims of a service: one per dataset volume, in the order of its volumes. */
export function claimsOf(service: ServiceDef): { readonly index: number; readonly name: string }[] {
  return (service.volumes ?? []).flatMap((v, index) => ('dataset' in v ? [{ index, name: `${service.name}-${index}` }] : []));
}

function securityContext(service: ServiceDef): Record<string, unknown> | undefined {
  const id = service.user ? parseUidGid(service.user) : undefined;
  const ctx = dropUndefined({
    runAsUser: id?.uid,
    runAsGroup: id?.gid,
    readOnlyRootFilesystem: service.readOnlyRootfs,
    capabilities: service.capAdd?.length ? { add: [...service.capAdd].sort() } : undefined,
  });
  return Object.keys(ctx).length > 0 ? ctx : undefined;
}

function asList(value: string | readonly string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : [...value];
}

export function deploymentOf(facts: LabFacts, host: HostDef, cluster: KubernetesSpec, service: ServiceDef): KubeObject {
  const secrets = serviceSecrets(service);
  const claims = new Map(claimsOf(service).map((c) => [c.index, c.name]));
  const reader = parseUidGid(startUser(service));
  const env = Object.keys(service.environment ?? {})
    .sort()
    .map((name) => {
      const value = service.environment![name]!;
      return { name, value: isSecretRef(value) ? secretEnvValue(value) : String(value) };
    });
  const volumeMounts = [
    ...(service.volumes ?? []).flatMap((v, i) => (claims.has(i) ? [dropUndefined({ name: claims.get(i)!, mountPath: v.target, readOnly: v.readOnly || undefined })] : [])),
    ...(secrets.length > 0 ? [{ name: 'secrets', mountPath: '/run/secrets', readOnly: true }] : []),
  ];
  const volumes = [
    ...[...claims.values()].map((name) => ({ name, persistentVolumeClaim: { claimName: name } })),
    // Like compose's secret files: 0400 for a root reader; a non-root reader reads them through its group.
    ...(secrets.length > 0 ? [{ name: 'secrets', secret: { secretName: `${service.name}-secrets`, defaultMode: reader && reader.uid !== 0 ? 0o440 : 0o400 } }] : []),
  ];
  const probe = probeOf(service.healthcheck);
  const container = dropUndefined({
    name: service.name,
    image: service.image,
    command: asList(service.entrypoint),
    args: asList(service.command),
    workingDir: service.workingDir,
    env: env.length > 0 ? env : undefined,
    ports: containerPorts(host, service).map((p) => dropUndefined({ ...p })),
    volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
    readinessProbe: probe,
    livenessProbe: probe,
    securityContext: securityContext(service),
    tty: service.tty,
  });
  const podSecurity = reader && reader.uid !== 0 && secrets.length > 0 ? { fsGroup: reader.gid } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, namespace: namespaceOf(cluster), labels: labels(facts, service) },
    spec: {
      replicas: 1,
      // One pod at a time: its dataset folder is not shared by two writers.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { [APP_LABEL]: service.name } },
      template: {
        metadata: { labels: labels(facts, service) },
        spec: dropUndefined({ hostname: service.hostname, securityContext: podSecurity, containers: [container], volumes: volumes.length > 0 ? volumes : undefined }),
      },
    },
  };
}

export function serviceOf(facts: LabFacts, host: HostDef, cluster: KubernetesSpec, service: ServiceDef): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, namespace: namespaceOf(cluster), labels: labels(facts, service) },
    spec: {
      type: 'ClusterIP',
      selector: { [APP_LABEL]: service.name },
      ports: containerPorts(host, service).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol, targetPort: p.name })),
    },
  };
}

/** A static PersistentVolume on each dataset folder the service mounts, and the claim bound to it. */
export function volumesOf(facts: LabFacts, cluster: KubernetesSpec, service: ServiceDef): KubeObject[] {
  const ns = namespaceOf(cluster);
  return claimsOf(service).flatMap(({ index, name }) => {
    const volume = service.volumes![index]!;
    if (!('dataset' in volume)) return [];
    const pv = `${ns}-${name}`;
    const access = ['ReadWriteOnce'];
    return [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pv, labels: labels(facts, service) },
        spec: {
          storageClassName: DATASET_STORAGE_CLASS,
          capacity: { storage: NOMINAL_SIZE },
          accessModes: access,
          persistentVolumeReclaimPolicy: 'Retain',
          claimRef: { namespace: ns, name },
          hostPath: { path: datasetHostPath(facts, volume.dataset.name, volume.sub), type: 'DirectoryOrCreate' },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: ns, labels: labels(facts, service) },
        spec: { storageClassName: DATASET_STORAGE_CLASS, volumeName: pv, accessModes: access, resources: { requests: { storage: NOMINAL_SIZE } } },
      },
    ];
  });
}

/** The service's secrets as a Secret whose values are placeholders: deploy fills them in, dist/ never holds one. */
export function secretOf(facts: LabFacts, cluster: KubernetesSpec, service: ServiceDef): KubeObject | undefined {
  const refs = serviceSecrets(service);
  if (refs.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${service.name}-secrets`, namespace: namespaceOf(cluster), labels: labels(facts, service) },
    type: 'Opaque',
    stringData: Object.fromEntries(refs.map((r) => [r.name, secretPlaceholder(r)])),
  };
}

/** What every app of the cluster needs: its namespace and the storage class of the dataset volumes. */
export function clusterObjects(facts: LabFacts, cluster: KubernetesSpec): KubeObject[] {
  const managed = { 'app.kubernetes.io/managed-by': 'homelab-as-code', 'app.kubernetes.io/part-of': facts.name };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceOf(cluster), labels: managed } },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DATASET_STORAGE_CLASS, labels: managed },
      // Static volumes only: each PersistentVolume is a dataset folder the renderer names.
      provisioner: 'kubernetes.io/no-provisioner',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
    },
  ];
}
