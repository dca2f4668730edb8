import type { HostDef } from '../model/host.js';
import type { LabFacts } from '../model/lab.js';
import type { EnvValue, PortSpec, ServiceDef, VolumeSpec } from '../model/service.js';
import { serviceName } from '../model/service.js';
import { isSecretRef, secretEnvValue } from '../model/secret.js';
import { oncePer } from '../model/once-per.js';
import { composeServices } from '../model/kubernetes.js';
import { portBindAddress, serviceSecrets } from '../model/service-facts.js';

/** The compose document as a plain object, keys in the order they are written. */
export type ComposeDocument = Record<string, unknown>;

const DEFAULT_RESTART = 'unless-stopped';

export function datasetHostPath(facts: LabFacts, dataset: string, sub?: string): string {
  return [facts.zfs.mountRoot, dataset, sub].filter(Boolean).join('/');
}

/** Short syntax, which every compose implementation reads: [ip:]published:target/protocol. */
export function portString(host: HostDef, port: PortSpec): string {
  const ip = portBindAddress(host, port);
  const published = port.published ?? port.target;
  return `${ip ? `${ip}:` : ''}${published}:${port.target}/${port.protocol ?? 'tcp'}`;
}

function volumeString(facts: LabFacts, volume: VolumeSpec): string {
  const source =
    'dataset' in volume
      ? datasetHostPath(facts, volume.dataset.name, volume.sub)
      : 'volume' in volume
        ? volume.volume
        : 'rendered' in volume
          ? `./${volume.rendered}`
          : volume.hostPath;
  const options = [volume.readOnly ? 'ro' : undefined, 'hostPath' in volume ? volume.propagation : undefined].filter(Boolean);
  return `${source}:${volume.target}${options.length > 0 ? `:${options.join(',')}` : ''}`;
}

function envString(value: EnvValue): string {
  return isSecretRef(value) ? secretEnvValue(value) : String(value);
}

function sortedRecord<V, R>(record: Readonly<Record<string, V>> | undefined, map: (v: V) => R): Record<string, R> | undefined {
  if (!record || Object.keys(record).length === 0) return undefined;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, map(record[k] as V)]),
  );
}

function networkMode(service: ServiceDef): string | undefined {
  const mode = service.networkMode;
  if (mode === undefined) return undefined;
  if (mode === 'host' || mode === 'none') return mode;
  if ('service' in mode) return `service:${serviceName(mode.service)}`;
  return `container:${mode.container}`;
}

/** Ports sorted by their published port, numerically (the order carries no meaning). */
function byPublishedPort(a: string, b: string): number {
  const published = (p: string) => p.split(':').slice(-2, -1)[0] ?? p;
  return published(a).localeCompare(published(b), 'en', { numeric: true }) || a.localeCompare(b);
}

function list<T>(items: readonly T[] | undefined): T[] | undefined {
  return items && items.length > 0 ? [...items] : undefined;
}

function renderService(facts: LabFacts, host: HostDef, s: ServiceDef): Record<string, unknown> {
  const secrets = serviceSecrets(s);
  // Key order follows the conventional grouping dclint checks (service-keys-order): core,
  // dependencies, data, environment, network, runtime, metadata, security, then the rest A-Z.
  const out: Record<string, unknown> = {
    image: s.image,
    depends_on:
      s.dependsOn && s.dependsOn.length > 0
        ? Object.fromEntries(
            [...s.dependsOn]
              .map((d) => [serviceName(d.service), { condition: d.condition ?? 'service_started' }] as const)
              .sort(([a], [b]) => a.localeCompare(b)),
          )
        : undefined,
    volumes: s.volumes?.map((v) => volumeString(facts, v)),
    secrets: secrets.length > 0 ? secrets.map((r) => r.name) : undefined,
    environment: sortedRecord(s.environment, envString),
    env_file: s.envFile ? [`./secrets/${s.envFile.name}`] : undefined,
    ports: s.ports?.map((p) => portString(host, p)).sort(byPublishedPort),
    networks: list(s.networks)?.sort(),
    network_mode: networkMode(s),
    extra_hosts: list(s.extraHosts),
    command: s.command,
    entrypoint: s.entrypoint,
    working_dir: s.workingDir,
    restart: s.restart ?? DEFAULT_RESTART,
    healthcheck: s.healthcheck && {
      test: [...s.healthcheck.test],
      interval: s.healthcheck.interval,
      timeout: s.healthcheck.timeout,
      retries: s.healthcheck.retries,
      start_period: s.healthcheck.startPeriod,
    },
    labels: sortedRecord(s.labels, String),
    user: s.user,
    cap_add: list(s.capAdd)?.sort(),
    cpus: s.cpus,
    devices: list(s.devices),
    dns: list(s.dns),
    hostname: s.hostname,
    init: s.init,
    mac_address: s.macAddress,
    mem_limit: s.memLimit,
    pid: s.pid,
    privileged: s.privileged?.trim() ? true : undefined,
    read_only: s.readOnlyRootfs,
    security_opt: list(s.securityOpt),
    shm_size: s.shmSize,
    stop_grace_period: s.stopGracePeriod,
    sysctls: sortedRecord(s.sysctls, String),
    tmpfs: list(s.tmpfs),
    tty: s.tty,
  };
  return dropUndefined(out);
}

export function dropUndefined<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) delete record[key];
    else if (value && typeof value === 'object' && !Array.isArray(value)) dropUndefined(value as Record<string, unknown>);
  }
  return record;
}

/** A host's compose documents by the facts they were made with (validate and render both need it). */
const documents = oncePer((_host: HostDef) => new WeakMap<LabFacts, ComposeDocument>());

/**
 * The host's stack as a compose document: a top-level name, services sorted by name. Made once
 * per host and facts, and shared: callers read it, never change it.
 */
export function composeDocument(facts: LabFacts, host: HostDef): ComposeDocument {
  const made = documents(host);
  let doc = made.get(facts);
  if (!doc) {
    doc = makeComposeDocument(facts, host);
    made.set(facts, doc);
  }
  return doc;
}

function makeComposeDocument(facts: LabFacts, host: HostDef): ComposeDocument {
  const services = composeServices(host).sort((a, b) => a.name.localeCompare(b.name));
  const secretNames = [...new Set(services.flatMap((s) => serviceSecrets(s).map((r) => r.name)))].sort();
  const doc: ComposeDocument = {
    name: host.name,
    services: Object.fromEntries(services.map((s) => [s.name, renderService(facts, host, s)])),
  };
  if (host.networks && Object.keys(host.networks).length > 0) {
    doc.networks = sortedRecord(host.networks, (n) => (n.internal ? { internal: true } : {}));
  }
  if (host.volumes && host.volumes.length > 0) {
    doc.volumes = Object.fromEntries([...host.volumes].sort().map((v) => [v, {}]));
  }
  if (secretNames.length > 0) {
    doc.secrets = Object.fromEntries(secretNames.map((n) => [n, { file: `./secrets/${n}` }]));
  }
  return doc;
}
