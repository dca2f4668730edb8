import { type DeployRequest, readRemoteState } from '../deploy/index.js';
import { commandLine, quote } from '../shell/quote.js';
import { machineServices, type ContainerService, type KubernetesService, type LabService, type UnitService } from './services.js';
import { commandFor, serviceReach, Sessions } from './reach.js';

/** What one service of the model is doing now, as `homelab ps` shows it. */
export interface ServiceStatus {
  readonly host: string;
  readonly service: string;
  readonly kind: LabService['kind'];
  /** The container's status (running, exited, restarting...), the unit's active state, or `missing`. */
  readonly state: string;
  /** healthy, unhealthy, starting (a container with a healthcheck); ready/wanted replicas (Kubernetes). */
  readonly health?: string;
  /** When it last started (ISO 8601, UTC). */
  readonly since?: string;
  /** The image that runs (containers, deployments). */
  readonly image?: string;
  /** The image the model pins. */
  readonly pinned?: string;
  readonly restarts?: number;
  /** Running, healthy where it is checked, from the pinned image. */
  readonly ok: boolean;
  /** Why it is not ok. */
  readonly problem?: string;
}

export interface HostStatus {
  readonly host: string;
  /** The release `current` points at, on a host with releases. */
  readonly release?: string;
  readonly services: readonly ServiceStatus[];
}

const CONTAINER_FORMAT = '{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if index .State "Health"}}{{.State.Health.Status}}{{end}}|{{.State.StartedAt}}|{{.Config.Image}}|{{.RestartCount}}|{{.State.ExitCode}}|{{.HostConfig.RestartPolicy.Name}}';

/** Every container of the compose project, one line each: service|status|health|started|image|restarts|exit code|restart policy. */
export function containerStatusScript(dockerCommand: string, project: string): string {
  return [
    `ids=$(${dockerCommand} ps -aq --filter ${quote(`label=com.docker.compose.project=${project}`)} --filter label=com.docker.compose.oneoff=False)`,
    `if [ -n "$ids" ]; then ${dockerCommand} inspect --format ${quote(CONTAINER_FORMAT)} $ids; fi`,
  ].join('\n');
}

/** A time docker or systemd printed, as ISO 8601; Docker's zero time and an empty one are no time. */
function isoTime(text: string): string | undefined {
  if (!text || text.startsWith('0001-01-01')) return undefined;
  const t = /^@(\d+)$/.exec(text) ? new Date(Number(text.slice(1)) * 1000) : new Date(text);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The model's services of a compose host against its containers (containerStatusScript's output). */
export function containerStatuses(services: readonly ContainerService[], out: string, host: string): ServiceStatus[] {
  const seen = out
    .split('\n')
    .filter((l) => l.includes('|'))
    .map((l) => {
      const [service = '', status = '', health = '', started = '', image = '', restarts = '0', exitCode = '', policy = ''] = l.split('|');
      // A one-shot (restart "no") that exited 0 did its job, as deploy judges it too.
      const done = status === 'exited' && exitCode === '0' && policy === 'no';
      return { service, status: done ? 'completed' : status, health, started, image, restarts: Number(restarts) };
    });
  const rows: ServiceStatus[] = [];
  for (const s of services) {
    const mine = seen.filter((c) => c.service === s.service);
    if (mine.length === 0) rows.push({ host, service: s.service, kind: 'container', state: 'missing', pinned: s.image, ok: false, problem: 'no container' });
    for (const c of mine) {
      const problems = [
        ...(c.status !== 'running' && c.status !== 'completed' ? [`its container is ${c.status}`] : []),
        ...(c.health && c.health !== 'healthy' ? [`its healthcheck says ${c.health}`] : []),
        ...(c.image !== s.image ? [`it runs ${c.image}, the model pins ${s.image}`] : []),
      ];
      const since = c.status === 'running' ? isoTime(c.started) : undefined;
      rows.push({
        host,
        service: s.service,
        kind: 'container',
        state: c.status,
        ...(c.health ? { health: c.health } : {}),
        ...(since ? { since } : {}),
        image: c.image,
        pinned: s.image,
        restarts: c.restarts,
        ok: problems.length === 0,
        ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
      });
    }
  }
  const known = new Set(services.map((s) => s.service));
  for (const c of seen.filter((x) => !known.has(x.service))) {
    rows.push({ host, service: c.service, kind: 'container', state: c.status, image: c.image, restarts: c.restarts, ok: false, problem: 'the model has no such service on this host (left by hand, or by an older release)' });
  }
  return rows;
}

const UNIT_PROPERTIES = ['Id', 'LoadState', 'ActiveState', 'SubState', 'ActiveEnterTimestamp', 'NRestarts'];

/** systemd's view of some units, one KEY=VALUE block per unit, in the order named. */
export function unitStatusArgv(units: readonly string[]): string[] {
  return ['systemctl', 'show', '--timestamp=unix', ...UNIT_PROPERTIES.flatMap((p) => ['-p', p]), ...units];
}

/** The units against what `systemctl show` said of them (unitStatusArgv's output, in the same order). */
export function unitStatuses(units: readonly UnitService[], out: string): ServiceStatus[] {
  const blocks = out
    .split(/\n\s*\n/)
    .map((b) => Object.fromEntries(b.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])))
    .filter((b) => Object.keys(b).length > 0);
  return units.map((u, i): ServiceStatus => {
    const b = blocks.find((x) => x.Id === u.unit) ?? blocks[i] ?? {};
    const base = { host: u.host, service: u.service, kind: 'unit' as const };
    if (b.LoadState === 'not-found' || !b.ActiveState) return { ...base, state: 'missing', ok: false, problem: `${u.unit} is not installed` };
    const state = b.SubState && b.SubState !== b.ActiveState ? `${b.ActiveState} (${b.SubState})` : b.ActiveState;
    const since = b.ActiveState === 'active' ? isoTime(b.ActiveEnterTimestamp ?? '') : undefined;
    const restarts = b.NRestarts !== undefined && /^\d+$/.test(b.NRestarts) ? Number(b.NRestarts) : undefined;
    const ok = b.ActiveState === 'active';
    return { ...base, state, ...(since ? { since } : {}), ...(restarts !== undefined ? { restarts } : {}), ok, ...(ok ? {} : { problem: `${u.unit} is ${b.ActiveState}` }) };
  });
}

/** One line per deployment: name|ready|wanted|image|created. */
export function deploymentStatusArgv(namespace: string): string[] {
  return ['k3s', 'kubectl', 'get', 'deployments', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name}|{.status.readyReplicas}|{.spec.replicas}|{.spec.template.spec.containers[0].image}|{.metadata.creationTimestamp}{"\\n"}{end}'];
}

export function deploymentStatuses(services: readonly KubernetesService[], out: string): ServiceStatus[] {
  const seen = new Map(
    out
      .split('\n')
      .filter((l) => l.includes('|'))
      .map((l) => {
        const [name = '', ready = '', wanted = '', image = '', created = ''] = l.split('|');
        return [name, { ready: Number(ready || 0), wanted: Number(wanted || 0), image, created }] as const;
      }),
  );
  return services.map((s): ServiceStatus => {
    const base = { host: s.host, service: s.service, kind: 'kubernetes' as const, pinned: s.image };
    const d = seen.get(s.service);
    if (!d) return { ...base, state: 'missing', ok: false, problem: `no deployment ${s.service} in namespace ${s.namespace}` };
    const problems = [...(d.ready < d.wanted || d.wanted === 0 ? [`${d.ready} of ${d.wanted} replicas ready`] : []), ...(d.image !== s.image ? [`it runs ${d.image}, the model pins ${s.image}`] : [])];
    const since = isoTime(d.created);
    return { ...base, state: d.ready > 0 ? 'running' : 'not ready', health: `${d.ready}/${d.wanted} ready`, image: d.image, ...(since ? { since } : {}), ok: problems.length === 0, ...(problems.length > 0 ? { problem: problems.join('; ') } : {}) };
  });
}

/**
 * What one machine runs, against the model: its containers (the compose project of its current
 * release), its k3s deployments, its daemons' units (inside an LXC through its node). Read-only,
 * no lock. A connection failure throws a DeployError; a command that fails marks its services.
 */
export async function psHost(request: DeployRequest): Promise<HostStatus> {
  const host = request.host.name;
  const services = machineServices(request.host);
  const sessions = new Sessions(host);
  const rows: ServiceStatus[] = [];
  let release: string | undefined;
  try {
    const containers = services.filter((s): s is ContainerService => s.kind === 'container');
    const deployments = services.filter((s): s is KubernetesService => s.kind === 'kubernetes');
    if (containers.length > 0 || deployments.length > 0) {
      const reach = serviceReach(request, (containers[0] ?? deployments[0])!);
      const session = await sessions.get(reach.target);
      const state = await readRemoteState(session.shell, session.layout);
      release = state.current;
      if (containers.length > 0) {
        const project = state.info?.project ?? host;
        const r = await session.shell.run(containerStatusScript(session.target.dockerCommand, project));
        rows.push(...(r.code === 0 ? containerStatuses(containers, r.stdout, host) : failedRows(containers, `listing the containers failed: ${r.stderr.trim()}`)));
      }
      if (deployments.length > 0) {
        const r = await session.shell.run(commandFor(reach, deploymentStatusArgv(deployments[0]!.namespace)));
        rows.push(...(r.code === 0 ? deploymentStatuses(deployments, r.stdout) : failedRows(deployments, `listing the deployments failed: ${r.stderr.trim()}`)));
      }
    }
    const units = services.filter((s): s is UnitService => s.kind === 'unit');
    for (const where of ['guest', 'node'] as const) {
      const here = units.filter((u) => u.on === where);
      if (here.length === 0) continue;
      const reach = serviceReach(request, here[0]!);
      const session = await sessions.get(reach.target);
      const r = await session.shell.run(commandFor(reach, unitStatusArgv(here.map((u) => u.unit))));
      rows.push(...(r.code === 0 ? unitStatuses(here, r.stdout) : failedRows(here, `${commandLine(reach.prefix.length > 0 ? reach.prefix : ['systemctl'])} failed: ${r.stderr.trim()}`)));
    }
  } finally {
    await sessions.closeAll();
  }
  const order = new Map(services.map((s, i) => [`${s.kind}/${s.service}`, i]));
  rows.sort((a, b) => (order.get(`${a.kind}/${a.service}`) ?? services.length) - (order.get(`${b.kind}/${b.service}`) ?? services.length));
  return { host, ...(release ? { release } : {}), services: rows };
}

function failedRows(services: readonly LabService[], why: string): ServiceStatus[] {
  return services.map((s) => ({ host: s.host, service: s.service, kind: s.kind, state: 'unknown', ok: false, problem: why }));
}
