import { type DeployRequest, type StreamIo } from '../deploy/index.js';
import { DeployError } from '../common/errors.js';
import { commandLine, quote } from '../shell/quote.js';
import { containerStatuses, containerStatusScript, unitStatusArgv, unitStatuses, type ServiceStatus } from './ps.js';
import { commandFor, serviceReach, Sessions, type ServiceReach } from './reach.js';
import type { ContainerService, LabService } from './services.js';

/** How far back `homelab logs --since` reaches: a whole number of seconds, minutes or hours. */
export function parseSince(text: string): { readonly amount: number; readonly unit: 's' | 'm' | 'h' } {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new DeployError('bad-since', `--since takes a duration such as 30s, 10m or 2h; got "${text}".`);
  return { amount: Number(m[1]), unit: m[2] as 's' | 'm' | 'h' };
}

export interface LogOptions {
  readonly follow?: boolean;
  /** A duration (parseSince). */
  readonly since?: string;
  /** How many of the last lines (default: all docker keeps, the journal's last 100). */
  readonly tail?: number;
}

/**
 * A shell line that finds the service's container in the host's compose project (the first, when
 * scaled) and runs `docker <argv> <id> <after>` on it; exit 3 with a message when there is none.
 */
function onContainer(reach: ServiceReach, dockerCommand: string, s: ContainerService, argv: readonly string[], after: readonly string[] = []): string {
  const filters = ['--filter', `label=com.docker.compose.project=${s.host}`, '--filter', `label=com.docker.compose.service=${s.service}`, '--filter', 'label=com.docker.compose.oneoff=False'];
  return [
    `id=$(${dockerCommand} ps -aq ${commandLine(filters)} | head -n 1)`,
    `[ -n "$id" ] || { echo ${quote(`${s.host} has no container for ${s.service}: deploy it (homelab deploy ${s.host})`)} >&2; exit 3; }`,
    `exec ${dockerCommand} ${commandLine(argv)} "$id"${after.length > 0 ? ` ${commandLine(after)}` : ''}`,
  ].join('\n');
}

/** The remote command that prints (or follows) a service's log. */
export function logsCommand(reach: ServiceReach, dockerCommand: string, s: LabService, options: LogOptions): string {
  const since = options.since ? parseSince(options.since) : undefined;
  switch (s.kind) {
    case 'container':
      return onContainer(reach, dockerCommand, s, ['logs', ...(options.follow ? ['--follow'] : []), ...(since ? ['--since', `${since.amount}${since.unit}`] : []), ...(options.tail !== undefined ? ['--tail', String(options.tail)] : [])]);
    case 'kubernetes':
      return commandFor(reach, ['k3s', 'kubectl', 'logs', '-n', s.namespace, `deployment/${s.service}`, ...(options.follow ? ['--follow'] : []), ...(since ? [`--since=${since.amount}${since.unit}`] : []), ...(options.tail !== undefined ? [`--tail=${options.tail}`] : [])]);
    case 'unit':
      return commandFor(reach, ['journalctl', '--no-pager', '-u', s.unit, ...(options.follow ? ['--follow'] : []), ...(since ? ['--since', `-${since.amount}${since.unit === 'm' ? 'min' : since.unit}`] : []), '-n', String(options.tail ?? (options.follow || since ? 'all' : 100))]);
  }
}

const noCommand = (s: LabService) => new DeployError('exec-no-command', `name the command to run in ${s.host}/${s.service} after --, e.g. homelab exec ${s.host}/${s.service} -- sh -c 'id'.`);

/** The remote command that runs `argv` inside the service: its container, its deployment's pod, or the guest its unit runs in. */
export function execCommand(reach: ServiceReach, dockerCommand: string, s: LabService, argv: readonly string[], io: { readonly stdin: boolean; readonly tty: boolean }): string {
  if (argv.length === 0) throw noCommand(s);
  switch (s.kind) {
    case 'container':
      return onContainer(reach, dockerCommand, s, ['exec', ...(io.stdin ? ['-i'] : []), ...(io.tty ? ['-t'] : [])], argv);
    case 'kubernetes':
      return commandFor(reach, ['k3s', 'kubectl', 'exec', '-n', s.namespace, ...(io.stdin ? ['-i'] : []), ...(io.tty ? ['-t'] : []), `deployment/${s.service}`, '--', ...argv]);
    case 'unit':
      // pct exec passes the session's terminal through; inside a host reached over SSH the command runs as is.
      return commandFor(reach, argv);
  }
}

/** The remote command that restarts the service (the container, the deployment's pods, the unit). */
export function restartCommand(reach: ServiceReach, dockerCommand: string, s: LabService): string {
  switch (s.kind) {
    case 'container':
      return onContainer(reach, dockerCommand, s, ['restart']);
    case 'kubernetes':
      return commandFor(reach, ['k3s', 'kubectl', 'rollout', 'restart', '-n', s.namespace, `deployment/${s.service}`]);
    case 'unit':
      return commandFor(reach, ['systemctl', 'restart', s.unit]);
  }
}

/** Runs one service's command where it lives, its output streamed: resolves with the command's exit code. */
async function streamOn(request: DeployRequest, s: LabService, io: StreamIo, build: (reach: ServiceReach, dockerCommand: string) => string): Promise<number> {
  const sessions = new Sessions(request.host.name);
  try {
    const reach = serviceReach(request, s);
    const session = await sessions.get(reach.target);
    return await session.stream(build(reach, session.target.dockerCommand), io);
  } finally {
    await sessions.closeAll();
  }
}

export function serviceLogs(request: DeployRequest, s: LabService, options: LogOptions, io: StreamIo): Promise<number> {
  if (options.since) parseSince(options.since); // a bad duration stops before connecting
  return streamOn(request, s, io, (reach, docker) => logsCommand(reach, docker, s, options));
}

export async function serviceExec(request: DeployRequest, s: LabService, argv: readonly string[], io: StreamIo): Promise<number> {
  if (argv.length === 0) throw noCommand(s); // before connecting
  return streamOn(request, s, io, (reach, docker) => execCommand(reach, docker, s, argv, { stdin: io.stdin !== undefined, tty: io.tty !== undefined }));
}

/**
 * Restarts the service, then waits (up to the host's health timeout) until it runs again, healthy
 * where it has a healthcheck: its status then, or a DeployError saying what it is doing instead.
 */
export async function serviceRestart(request: DeployRequest, s: LabService): Promise<ServiceStatus> {
  const sessions = new Sessions(request.host.name);
  try {
    const reach = serviceReach(request, s);
    const session = await sessions.get(reach.target);
    const docker = session.target.dockerCommand;
    await session.shell.check(`restarting ${s.host}/${s.service}`, restartCommand(reach, docker, s));
    const deadline = performance.now() + session.target.healthTimeoutSeconds * 1000;
    for (;;) {
      const status = await currentStatus(session.shell.run.bind(session.shell), reach, docker, s);
      if (backUp(status)) return status;
      if (performance.now() > deadline) throw new DeployError('health-timeout', `${s.host}/${s.service} was restarted but is not running healthy after ${session.target.healthTimeoutSeconds}s: ${status.problem ?? status.state}.`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await sessions.closeAll();
  }
}

async function currentStatus(run: (script: string) => Promise<{ code: number; stdout: string; stderr: string }>, reach: ServiceReach, docker: string, s: LabService): Promise<ServiceStatus> {
  if (s.kind === 'unit') {
    const r = await run(commandFor(reach, unitStatusArgv([s.unit])));
    return unitStatuses([s], r.stdout)[0]!;
  }
  if (s.kind === 'kubernetes') {
    const r = await run(commandFor(reach, ['k3s', 'kubectl', 'rollout', 'status', '-n', s.namespace, `deployment/${s.service}`, '--timeout=5s']));
    return { host: s.host, service: s.service, kind: s.kind, state: r.code === 0 ? 'running' : 'rolling out', ok: r.code === 0, ...(r.code === 0 ? {} : { problem: r.stdout.trim() || r.stderr.trim() }) };
  }
  const r = await run(containerStatusScript(docker, s.host));
  return containerStatuses([s], r.stdout, s.host).find((x) => x.service === s.service)!;
}

/** Up again after a restart: running, and healthy where it has a healthcheck (the image is ps's business). */
function backUp(status: ServiceStatus): boolean {
  if (status.kind !== 'container') return status.ok;
  return status.state === 'running' && (status.health === undefined || status.health === 'healthy');
}
