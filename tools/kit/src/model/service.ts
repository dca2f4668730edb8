import type { RouteGroup } from './auth-groups.js';
import type { DatasetRef } from './zfs.js';
import type { ImageFacts } from './image-facts.js';
import type { SecretRef } from './secret.js';

/** What a service is for; rules use it (a download or indexer role must sit behind the VPN gateway). */
export type ServiceRole =
  | 'app'
  | 'database'
  | 'cache'
  | 'vpn-gateway'
  | 'download'
  | 'indexer'
  | 'media-server'
  | 'reverse-proxy'
  | 'auth'
  | 'auth-worker'
  | 'metrics-store'
  | 'alert-manager'
  | 'dashboards'
  | 'start-page'
  | 'monitoring'
  | 'metrics-agent'
  | 'docker-socket-proxy'
  | 'dns'
  | 'game-server'
  | 'image-registry'
  | 'management';

/** An environment value: a literal, or a secret whose file path the container gets (`/run/secrets/<name>`). */
export type EnvValue = string | number | boolean | SecretRef;

export interface PortSpec {
  /** Port (or range "a-b") inside the container. */
  readonly target: number | string;
  /** Port (or range) on the host; defaults to target. */
  readonly published?: number | string;
  readonly protocol?: 'tcp' | 'udp';
  /** Which host address to bind: the host's LAN address (default), loopback only, or every address. */
  readonly bind?: 'lan' | 'loopback' | 'all';
  /** Why this port is published on the LAN rather than reached through the reverse proxy. */
  readonly reason?: string;
  /**
   * `lan`: clients anywhere on the LAN connect to it directly (DNS, file shares, game ports), so
   * the firewall lets the whole subnet in; needs a `reason`. Without it, only the hosts that the
   * model says reach the port get through: the reverse proxy's host for a route, the metrics
   * store's host for a metrics endpoint (docs/hosts.md, "Entry control").
   */
  readonly exposure?: 'lan';
}

export type VolumeSpec =
  | {
      readonly dataset: DatasetRef;
      readonly sub?: string;
      readonly target: string;
      readonly readOnly?: boolean;
      /** Why the folder holds secrets (a password database, private keys): file shares must not expose it. */
      readonly sensitive?: string;
    }
  | { readonly volume: string; readonly target: string; readonly readOnly?: boolean }
  | {
      readonly hostPath: string;
      readonly target: string;
      readonly readOnly?: boolean;
      /** Mount propagation, e.g. `rslave` so mounts made on the host later show inside (node-exporter's `/`). */
      readonly propagation?: 'rslave' | 'rshared' | 'slave' | 'shared' | 'rprivate' | 'private';
      readonly reason: string;
      /**
       * For the Docker socket in a service the network reaches: why it gets the socket itself
       * rather than a socket proxy (Wings: the proxy's timeouts cut console attach streams).
       */
      readonly directSocket?: string;
    }
  /** A folder of this host's own rendered files (e.g. traefik/dynamic), mounted from the release directory. */
  | { readonly rendered: string; readonly target: string; readonly readOnly?: boolean };

export interface HealthcheckSpec {
  readonly test: readonly string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly retries?: number;
  readonly startPeriod?: string;
}

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOnSpec {
  readonly service: ServiceDef | string;
  readonly condition?: DependsOnCondition;
}

/** Whose network namespace the service joins: another service of the stack, a named container, or the host's. */
export type NetworkModeSpec =
  | { readonly service: ServiceDef | string }
  | { readonly container: string }
  | 'host'
  | 'none';

export interface RouteSpec {
  /** The hostname's first label; the lab domain is appended (jellyfin -> jellyfin.local). */
  readonly host: string;
  /** The service's own port the reverse proxy forwards to. */
  readonly port: number;
  /** Forward-auth through the lab's identity provider, or public with the reason why. */
  readonly access: 'authenticated' | { readonly public: string };
  /**
   * For a forward-auth route: who may use it, as Authentik's groups (model/auth-groups.ts):
   * `users` (the default: every lab account) or `admins`.
   */
  readonly group?: RouteGroup;
  /** How the route shows on the lab's start page (model/start-page.ts); every route is listed there. */
  readonly page?: RoutePage;
}

/** A route's entry on the start page (Homepage's `services.yaml`, gethomepage.dev/configs/services). */
export interface RoutePage {
  /** The line under its name. */
  readonly description?: string;
  /** Homepage's icon: a dashboard-icons file (`sonarr.png`), `mdi-…`, `si-…`, or a URL. */
  readonly icon?: string;
  /**
   * A Homepage service widget: its `type` (one the kit renders: START_PAGE_WIDGETS) and, for a
   * type that needs one, the service's API key as a lab secret. The widget's URL is derived: the
   * address the start page's host reaches the route's port at.
   */
  readonly widget?: { readonly type: string; readonly key?: SecretRef };
}

export interface MetricsSpec {
  readonly port: number;
  readonly path?: string;
  /** URL parameters Prometheus sends with each scrape (its `params`), e.g. an exporter's `module`. */
  readonly params?: Readonly<Record<string, readonly string[]>>;
}

export interface ServiceSpec {
  readonly name: string;
  readonly image: string;
  /**
   * What the image does by itself (its default user, who reads the secrets, the commands it
   * ships), checked against its Dockerfile or docs. Every service needs it (`image-facts-missing`).
   */
  readonly imageFacts?: ImageFacts;
  readonly role?: ServiceRole;
  readonly command?: string | readonly string[];
  readonly entrypoint?: string | readonly string[];
  readonly user?: string;
  readonly environment?: Readonly<Record<string, EnvValue>>;
  /** Ports published on the host. */
  readonly ports?: readonly PortSpec[];
  /** Ports the process listens on inside its network namespace (published or not). */
  readonly listen?: readonly number[];
  readonly networkMode?: NetworkModeSpec;
  /** `host` to see the host's processes (node-exporter). */
  readonly pid?: 'host';
  readonly networks?: readonly string[];
  readonly volumes?: readonly VolumeSpec[];
  /**
   * A secret of `KEY=value` lines Compose reads into the container's environment (`env_file`),
   * for an image that takes a credential only from its environment and reads no file (its value
   * is then visible to `docker inspect` on the host: prefer `secrets` wherever the image reads files).
   */
  readonly envFile?: SecretRef;
  readonly secrets?: readonly SecretRef[];
  readonly healthcheck?: HealthcheckSpec;
  readonly dependsOn?: readonly DependsOnSpec[];
  /**
   * Compose's restart policy; `unless-stopped` when unset. It is also what a reboot of the host
   * does: dockerd starts again at boot only `always` and `unless-stopped` containers (`on-failure`
   * after a non-zero exit), so a service with `'no'` (a one-shot) stays exited until the next deploy.
   */
  readonly restart?: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  readonly capAdd?: readonly string[];
  /** Every capability and device of the host, with the reason why (cAdvisor, as its README runs it). */
  readonly privileged?: string;
  readonly devices?: readonly string[];
  readonly sysctls?: Readonly<Record<string, string | number>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly dns?: readonly string[];
  readonly extraHosts?: readonly string[];
  readonly macAddress?: string;
  readonly memLimit?: string;
  readonly cpus?: number;
  readonly shmSize?: string;
  readonly tmpfs?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly readOnlyRootfs?: boolean;
  /** Allocate a terminal (Pelican Wings expects one). */
  readonly tty?: boolean;
  readonly init?: boolean;
  readonly stopGracePeriod?: string;
  readonly workingDir?: string;
  /**
   * Host ports this service hands to containers it starts itself through the Docker API (Wings'
   * game servers): reserved on the host and checked for clashes, but not published by compose.
   */
  readonly allocations?: readonly PortSpec[];
  readonly route?: RouteSpec;
  /**
   * The lab's routes (their `host`, e.g. `wings`) this service calls over HTTPS through the
   * reverse proxy, as a client: it must trust the lab's CA, so it mounts its VM's CA bundle
   * (`tls-client-untrusted`), and the twin verifies each route's certificate with that bundle.
   */
  readonly callsOverHttps?: readonly string[];
  readonly metrics?: MetricsSpec;
  /**
   * What runs it: the host's compose stack (default), or the host's k3s cluster (`kubernetes`,
   * on a host with `kubernetes` set; docs/kubernetes.md). Routes, DNS, scrapes, firewall and
   * datasets derive from the service the same way either way.
   */
  readonly runtime?: 'compose' | 'kubernetes';
}

export interface ServiceDef extends ServiceSpec {
  readonly kind: 'service';
}

/** One service, one file: `export default defineService({...})`. */
/** Every field a service may set: ServiceSpec's keys, for the rule that refuses any other (a misspelling the build would drop). */
export const SERVICE_FIELDS = [
  'name', 'image', 'imageFacts', 'role', 'command', 'entrypoint', 'user', 'environment', 'ports', 'listen', 'networkMode', 'pid',
  'networks', 'volumes', 'envFile', 'secrets', 'healthcheck', 'dependsOn', 'restart', 'capAdd', 'privileged', 'devices', 'sysctls',
  'labels', 'hostname', 'dns', 'extraHosts', 'macAddress', 'memLimit', 'cpus', 'shmSize', 'tmpfs', 'securityOpt', 'readOnlyRootfs',
  'tty', 'init', 'stopGracePeriod', 'workingDir', 'allocations', 'route', 'callsOverHttps', 'metrics', 'runtime',
] as const satisfies readonly (keyof ServiceSpec)[];
/** A type error here when ServiceSpec gains a field SERVICE_FIELDS does not list (its name is the error). */
export const SERVICE_FIELDS_COMPLETE: [Exclude<keyof ServiceSpec, (typeof SERVICE_FIELDS)[number]>] extends [never] ? true : Exclude<keyof ServiceSpec, (typeof SERVICE_FIELDS)[number]> = true;

/** Every key of any member of a union (keyof a union is only the keys all members share). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** A route's widget on the start page. */
export type RouteWidget = NonNullable<RoutePage['widget']>;

/**
 * The fields of the objects a service spec nests, for the rule that refuses any other (a
 * misspelling the build would drop): `route.page.widgt` as much as `healthchek`.
 */
export const NESTED_FIELDS = {
  route: ['host', 'port', 'access', 'group', 'page'],
  'route.page': ['description', 'icon', 'widget'],
  'route.page.widget': ['type', 'key'],
  healthcheck: ['test', 'interval', 'timeout', 'retries', 'startPeriod'],
  metrics: ['port', 'path', 'params'],
  ports: ['target', 'published', 'protocol', 'bind', 'reason', 'exposure'],
  allocations: ['target', 'published', 'protocol', 'bind', 'reason', 'exposure'],
  volumes: ['dataset', 'sub', 'target', 'readOnly', 'sensitive', 'volume', 'hostPath', 'propagation', 'reason', 'directSocket', 'rendered'],
  dependsOn: ['service', 'condition'],
} as const satisfies {
  readonly route: readonly (keyof RouteSpec)[];
  readonly 'route.page': readonly (keyof RoutePage)[];
  readonly 'route.page.widget': readonly (keyof RouteWidget)[];
  readonly healthcheck: readonly (keyof HealthcheckSpec)[];
  readonly metrics: readonly (keyof MetricsSpec)[];
  readonly ports: readonly (keyof PortSpec)[];
  readonly allocations: readonly (keyof PortSpec)[];
  readonly volumes: readonly KeysOfUnion<VolumeSpec>[];
  readonly dependsOn: readonly (keyof DependsOnSpec)[];
};
/**
 * A volume's fields by its kind (the key that says which it is): `sub` on a named volume, or
 * `propagation` on a dataset folder, is a field of another kind, which the build drops.
 */
export const VOLUME_KIND_FIELDS = {
  dataset: ['dataset', 'sub', 'target', 'readOnly', 'sensitive'],
  volume: ['volume', 'target', 'readOnly'],
  hostPath: ['hostPath', 'target', 'readOnly', 'propagation', 'reason', 'directSocket'],
  rendered: ['rendered', 'target', 'readOnly'],
} as const satisfies {
  readonly dataset: readonly KeysOfUnion<Extract<VolumeSpec, { dataset: unknown }>>[];
  readonly volume: readonly KeysOfUnion<Extract<VolumeSpec, { volume: unknown }>>[];
  readonly hostPath: readonly KeysOfUnion<Extract<VolumeSpec, { hostPath: unknown }>>[];
  readonly rendered: readonly KeysOfUnion<Extract<VolumeSpec, { rendered: unknown }>>[];
};
type Unlisted<T, L extends readonly PropertyKey[]> = Exclude<KeysOfUnion<T>, L[number]>;
/** A type error here when one of those types gains a field NESTED_FIELDS does not list (its name is the error). */
export const NESTED_FIELDS_COMPLETE: [
  | Unlisted<RouteSpec, typeof NESTED_FIELDS.route>
  | Unlisted<RoutePage, (typeof NESTED_FIELDS)['route.page']>
  | Unlisted<RouteWidget, (typeof NESTED_FIELDS)['route.page.widget']>
  | Unlisted<HealthcheckSpec, typeof NESTED_FIELDS.healthcheck>
  | Unlisted<MetricsSpec, typeof NESTED_FIELDS.metrics>
  | Unlisted<PortSpec, typeof NESTED_FIELDS.ports>
  | Unlisted<VolumeSpec, typeof NESTED_FIELDS.volumes>
  | Unlisted<DependsOnSpec, typeof NESTED_FIELDS.dependsOn>
  | Unlisted<Extract<VolumeSpec, { dataset: unknown }>, typeof VOLUME_KIND_FIELDS.dataset>
  | Unlisted<Extract<VolumeSpec, { volume: unknown }>, typeof VOLUME_KIND_FIELDS.volume>
  | Unlisted<Extract<VolumeSpec, { hostPath: unknown }>, typeof VOLUME_KIND_FIELDS.hostPath>
  | Unlisted<Extract<VolumeSpec, { rendered: unknown }>, typeof VOLUME_KIND_FIELDS.rendered>,
] extends [never] ? true : never = true;

/**
 * A spec's keys that ServiceSpec does not have, each typed `never`: `const S` keeps the literal
 * types the rules read, but switches off TypeScript's excess-property check, so a misspelled
 * optional field (`healthchek:`, `listne:`) would pass tsc and be dropped. With this it is a type error.
 */
export type NoUnknownFields<S, Known> = S & { readonly [K in Exclude<keyof S, keyof Known>]: never };

/** As NoUnknownFields, against a set of keys (the keys of every member of a union). */
type OnlyKeys<S, K extends PropertyKey> = S & { readonly [X in Exclude<keyof S, K>]: never };
/** Each element of a list checked against the keys. */
type EachOnly<L, K extends PropertyKey> = { readonly [I in keyof L]: OnlyKeys<L[I], K> };
/** The keys of the volume kind an entry is (by the key that says which), or of any kind. */
type VolumeKeys<E> = E extends { readonly dataset: unknown } ? keyof Extract<VolumeSpec, { dataset: unknown }>
  : E extends { readonly volume: unknown } ? keyof Extract<VolumeSpec, { volume: unknown }>
  : E extends { readonly hostPath: unknown } ? keyof Extract<VolumeSpec, { hostPath: unknown }>
  : E extends { readonly rendered: unknown } ? keyof Extract<VolumeSpec, { rendered: unknown }>
  : KeysOfUnion<VolumeSpec>;
type EachVolume<L> = { readonly [I in keyof L]: OnlyKeys<L[I], VolumeKeys<L[I]>> };
type StrictPage<P> = OnlyKeys<P, keyof RoutePage> & (P extends { readonly widget: infer W } ? { readonly widget: OnlyKeys<W, keyof RouteWidget> } : unknown);
type StrictRoute<R> = OnlyKeys<R, keyof RouteSpec> & (R extends { readonly page: infer P } ? { readonly page: StrictPage<P> } : unknown);

/**
 * A service spec with no unknown field at any depth the kit reads: the spec itself, its route
 * (and the route's page and widget), healthcheck, metrics, and every entry of ports,
 * allocations, volumes and dependsOn.
 */
export type StrictServiceSpec<S> = NoUnknownFields<S, ServiceSpec> &
  (S extends { readonly route: infer R } ? { readonly route: StrictRoute<R> } : unknown) &
  (S extends { readonly healthcheck: infer H } ? { readonly healthcheck: OnlyKeys<H, keyof HealthcheckSpec> } : unknown) &
  (S extends { readonly metrics: infer M } ? { readonly metrics: OnlyKeys<M, keyof MetricsSpec> } : unknown) &
  (S extends { readonly ports: infer L } ? { readonly ports: EachOnly<L, keyof PortSpec> } : unknown) &
  (S extends { readonly allocations: infer L } ? { readonly allocations: EachOnly<L, keyof PortSpec> } : unknown) &
  (S extends { readonly volumes: infer L } ? { readonly volumes: EachVolume<L> } : unknown) &
  (S extends { readonly dependsOn: infer L } ? { readonly dependsOn: EachOnly<L, keyof DependsOnSpec> } : unknown);

export function defineService<const S extends ServiceSpec>(spec: StrictServiceSpec<S>): S & { readonly kind: 'service' } {
  return { ...spec, kind: 'service' };
}

/** The name of a service given by reference or by name. */
export function serviceName(ref: ServiceDef | string): string {
  return typeof ref === 'string' ? ref : ref.name;
}

/** The last path element of an image reference, without tag or digest: quay.io/prometheus/node-exporter:v1 -> node-exporter. */
export function imageName(image: string): string {
  return image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
}
