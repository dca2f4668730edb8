import { composeCommand, type RemoteLayout, type ResolvedTarget } from '../deploy/index.js';
import { randomBytes } from 'node:crypto';
import { quote, writeFileScript } from '../shell/quote.js';
import type { DriftItem } from './item.js';

/** What runs of one compose service: a line of `containersDriftScript`. */
export interface RunningContainer {
  readonly service: string;
  readonly name: string;
  readonly status: string;
  readonly exitCode: number;
  readonly restart: string;
  /** The `com.docker.compose.config-hash` label compose put on it when it created it. */
  readonly configHash: string;
  /** The image as the container was created with it (`.Config.Image`), and the id it runs. */
  readonly image: string;
  readonly imageId: string;
  /** `repo@sha256:...` of the image it runs (empty for an image never pulled, e.g. `docker import`). */
  readonly repoDigests: readonly string[];
}

/** What the current release says each service should be: compose's own hash of its definition, and its image. */
export interface ExpectedService {
  readonly hash: string;
  readonly image?: string;
}

const SEP = '--images';

/**
 * Every container of the project (one-off runs aside) with what drift compares, then the repo
 * digests of the images they run. `|`-separated, one line each.
 */
export function containersDriftScript(t: ResolvedTarget, project: string): string {
  const format =
    '{{index .Config.Labels "com.docker.compose.service"}}|{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{.HostConfig.RestartPolicy.Name}}|{{index .Config.Labels "com.docker.compose.config-hash"}}|{{.Config.Image}}|{{.Image}}';
  return [
    `ids=$(${t.dockerCommand} ps -aq --filter ${quote(`label=com.docker.compose.project=${project}`)} --filter label=com.docker.compose.oneoff=False)`,
    `if [ -n "$ids" ]; then ${t.dockerCommand} inspect --format ${quote(format)} $ids; fi`,
    `echo ${SEP}`,
    `if [ -n "$ids" ]; then imgs=$(${t.dockerCommand} inspect --format '{{.Image}}' $ids | sort -u); ${t.dockerCommand} image inspect --format '{{.Id}}|{{range .RepoDigests}}{{.}} {{end}}' $imgs 2>/dev/null || true; fi`,
  ].join('\n');
}

export function parseRunningContainers(out: string): RunningContainer[] {
  const [containers = '', images = ''] = out.split(`${SEP}\n`);
  const digests = new Map<string, string[]>();
  for (const line of images.split('\n')) {
    const [id = '', list = ''] = line.split('|');
    if (id) digests.set(id, list.split(' ').filter(Boolean));
  }
  return containers
    .split('\n')
    .filter((l) => l.includes('|'))
    .map((l) => {
      const [service = '', name = '', status = '', exitCode = '0', restart = '', configHash = '', image = '', imageId = ''] = l.split('|');
      return { service, name: name.replace(/^\//, ''), status, exitCode: Number(exitCode), restart, configHash, image, imageId, repoDigests: digests.get(imageId) ?? [] };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

/**
 * `<compose> config --hash '*'`: compose computes each service's config hash from the current
 * release exactly as it does when it labels a container it creates (v1 and v2 alike). With v1
 * the files it reads are `v1Files` (the release's compose files without `name`, made from the
 * ones the manifest vouches for), written beside the releases for the one command: the
 * release's own compose.v1.yaml may itself have been edited.
 */
export function configHashScript(t: ResolvedTarget, layout: RemoteLayout, project: string, composeFiles: readonly string[], v1Files?: readonly string[]): string {
  if (!v1Files) return composeCommand(t, layout, project, composeFiles, ['config', '--hash', '*']);
  const tag = randomBytes(6).toString('hex');
  const paths = v1Files.map((_, i) => `${layout.dir}/.drift-${tag}-${i}.yaml`);
  const command = `cd ${quote(layout.current)} && ${t.composeCommand} ${['-p', project, '--project-directory', layout.current, ...paths.flatMap((p) => ['-f', p]), 'config', '--hash', '*'].map(quote).join(' ')}`;
  return [...v1Files.map((content, i) => writeFileScript(paths[i]!, content).trimEnd()), `trap 'rm -f ${paths.map(quote).join(' ')}' EXIT`, command].join('\n');
}

/** `<service> <hash>` lines. */
export function parseConfigHashes(out: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^(\S+) ([0-9a-f]{64})$/.exec(line.trim());
    if (m) hashes.set(m[1]!, m[2]!);
  }
  return hashes;
}

/** The digest an image reference pins (`repo@sha256:...`), if any. */
export function pinnedDigest(image: string | undefined): string | undefined {
  return /@(sha256:[0-9a-f]{64})$/.exec(image ?? '')?.[1];
}

function shortHash(h: string): string {
  return h ? `config hash ${h.slice(0, 12)}` : 'no config hash label';
}

/** A container stopped on purpose: it ran to completion and is not to be restarted. */
function finishedOnPurpose(c: RunningContainer): boolean {
  return c.status === 'exited' && c.exitCode === 0 && (c.restart === 'no' || c.restart === '');
}

/**
 * The containers of the project against the current release: one per service, running, with
 * the config hash compose gives the release's definition and the image it names (its pinned
 * digest among the image's repo digests); none the release does not define.
 */
export function containerDrift(host: string, expected: ReadonlyMap<string, ExpectedService>, running: readonly RunningContainer[]): DriftItem[] {
  const items: DriftItem[] = [];
  for (const [service, want] of [...expected].sort(([a], [b]) => a.localeCompare(b))) {
    const what = `containers/${service}`;
    const mine = running.filter((c) => c.service === service);
    if (mine.length === 0) {
      items.push({ code: 'drift-container-missing', host, what, expected: 'a container', actual: 'none' });
      continue;
    }
    for (const c of mine) {
      if (c.status !== 'running' && !finishedOnPurpose(c)) {
        items.push({ code: 'drift-container-stopped', host, what, expected: 'running', actual: `${c.status} (exit code ${c.exitCode}, container ${c.name})` });
      }
      if (c.configHash !== want.hash) {
        items.push({ code: 'drift-container-config', host, what, expected: shortHash(want.hash), actual: `${shortHash(c.configHash)} (container ${c.name})` });
      }
      const digest = pinnedDigest(want.image);
      if (want.image !== undefined && c.image !== want.image) {
        items.push({ code: 'drift-image', host, what: `${what}/image`, expected: want.image, actual: c.image });
      } else if (digest && !c.repoDigests.some((d) => d.endsWith(`@${digest}`))) {
        items.push({ code: 'drift-image', host, what: `${what}/image`, expected: digest, actual: c.repoDigests.join(', ') || `image ${c.imageId.slice(0, 19)} (no repo digest)` });
      }
    }
  }
  for (const c of running) {
    if (!expected.has(c.service)) items.push({ code: 'drift-container-extra', host, what: `containers/${c.service}`, expected: 'no such service', actual: `container ${c.name} (${c.status})` });
  }
  return items;
}
