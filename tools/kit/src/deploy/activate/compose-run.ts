import type { RemoteLayout } from '../release/layout.js';
import { runFileName } from '../release/release-compose.js';
import { quote } from '../../shell/quote.js';
import { isComposeV1, type ResolvedTarget } from '../connect/target.js';

/**
 * The compose command for the current release. The project directory is the `current` link,
 * not the release directory, so the paths compose resolves (./secrets/<name>) stay the same from
 * release to release and an unchanged service keeps its container.
 */
export function composeCommand(t: ResolvedTarget, layout: RemoteLayout, project: string, composeFiles: readonly string[], args: readonly string[]): string {
  const v1 = isComposeV1(t.composeCommand);
  const files = composeFiles.flatMap((f) => ['-f', `${layout.current}/${runFileName(f, v1)}`]);
  return `cd ${quote(layout.current)} && ${t.composeCommand} ${[ '-p', project, '--project-directory', layout.current, ...files, ...args].map(quote).join(' ')}`;
}

/** What a failed `up` prints last on stderr when the project's containers are exactly as before it. */
export const NOTHING_CHANGED = '__HL_NOTHING_CHANGED';

/**
 * `up -d --remove-orphans`, then (when secrets changed) the services that read them, recreated.
 * The containers are listed before; when `up` fails and they are the same after (compose missing,
 * a file it cannot read), the script says so: a start that changed nothing needs no rollback.
 */
export function upScript(t: ResolvedTarget, layout: RemoteLayout, project: string, composeFiles: readonly string[], recreate: readonly string[]): string {
  const lines = [composeCommand(t, layout, project, composeFiles, ['up', '-d', '--remove-orphans'])];
  if (recreate.length > 0) lines.push(composeCommand(t, layout, project, composeFiles, ['up', '-d', '--no-deps', '--force-recreate', ...recreate]));
  const list = `$(${containersScript(t, project)}\n)`;
  return [
    `__hl_before=${list} || :`,
    // `set -e` does not apply inside an if's condition: the commands are chained with &&.
    `if (\n${lines.join(' &&\n')}\n); then :; else __hl_up=$?`,
    `  if [ "$__hl_before" = "${list}" ]; then echo ${NOTHING_CHANGED} >&2; fi`,
    `  exit $__hl_up`,
    `fi`,
  ].join('\n');
}

/** One line per container of the project: service|status|health|exit code|restart policy|id|compose config hash. */
export function containersScript(t: ResolvedTarget, project: string): string {
  const format = '{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if index .State "Health"}}{{.State.Health.Status}}{{end}}|{{.State.ExitCode}}|{{.HostConfig.RestartPolicy.Name}}|{{.Id}}|{{index .Config.Labels "com.docker.compose.config-hash"}}';
  return [
    `ids=$(${t.dockerCommand} ps -aq --filter ${quote(`label=com.docker.compose.project=${project}`)} --filter label=com.docker.compose.oneoff=False)`,
    `if [ -n "$ids" ]; then ${t.dockerCommand} inspect --format ${quote(format)} $ids; fi`,
  ].join('\n');
}

export interface ContainerState {
  readonly service: string;
  readonly status: string;
  readonly health: string;
  readonly exitCode: number;
  readonly restart: string;
  readonly id: string;
  /** The label compose puts on a container: the hash of the service definition it was made from. */
  readonly configHash: string;
}

export function parseContainers(out: string): ContainerState[] {
  return out
    .split('\n')
    .filter((l) => l.includes('|'))
    .map((l) => {
      const [service = '', status = '', health = '', exitCode = '0', restart = '', id = '', configHash = ''] = l.split('|');
      return { service, status, health, exitCode: Number(exitCode), restart, id, configHash };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}

export type HealthVerdict = { readonly state: 'healthy' } | { readonly state: 'waiting'; readonly pending: string } | { readonly state: 'failed'; readonly service: string; readonly id: string; readonly why: string };

/**
 * Whether the stack is up: every expected service has a running container that is healthy (or
 * has no healthcheck). An unhealthy or stopped container fails at once; anything else waits.
 */
export function judgeHealth(expected: readonly string[], containers: readonly ContainerState[]): HealthVerdict {
  const pending: string[] = [];
  for (const service of expected) {
    const c = containers.filter((x) => x.service === service);
    if (c.length === 0) {
      pending.push(`${service} (no container yet)`);
      continue;
    }
    for (const x of c) {
      if (x.health === 'unhealthy') return { state: 'failed', service, id: x.id, why: 'its healthcheck reports unhealthy' };
      if (x.status === 'exited' || x.status === 'dead') {
        if (x.status === 'exited' && x.exitCode === 0 && x.restart === 'no') continue;
        return { state: 'failed', service, id: x.id, why: `its container ${x.status} (exit code ${x.exitCode})` };
      }
      if (x.status !== 'running') pending.push(`${service} (${x.status})`);
      else if (x.health && x.health !== 'healthy') pending.push(`${service} (${x.health})`);
    }
  }
  return pending.length === 0 ? { state: 'healthy' } : { state: 'waiting', pending: pending.join(', ') };
}

/** The last healthcheck output of a container, to say why it is unhealthy. */
export function healthLogScript(t: ResolvedTarget, id: string): string {
  return `${t.dockerCommand} inspect --format '{{if index .State "Health"}}{{range .State.Health.Log}}{{.Output}}{{"\\n--\\n"}}{{end}}{{end}}' ${quote(id)} 2>/dev/null | tail -n 6 || true`;
}
