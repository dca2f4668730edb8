import { composeForV1, type DeployRequest, hostContextTarget, isComposeV1, openSession, readLocalRelease, readRemoteFiles, readRemoteState, type ReleaseInfo, runFileName, type Session, shellZfs, zfsLayoutOf } from '../deploy/index.js';
import type { Finding } from '../findings.js';
import { parseYaml } from '../render/yaml.js';
import { secretsDir } from '../secrets/store.js';
import { join } from 'node:path';
import { configHashScript, containerDrift, containersDriftScript, parseConfigHashes, parseRunningContainers, type ExpectedService } from './compose-drift.js';
import type { DriftItem } from './item.js';
import { nodeGuests, pveDrift } from './pve-drift.js';
import { checkedPaths, releaseFileDrift, releaseHashesScript } from './release-files.js';

/** What `homelab drift` is given: a deploy request, and every host's folder (the Proxmox host reads its guests' builds). */
export interface DriftRequest extends DeployRequest {
  readonly hostDirs: ReadonlyMap<string, string>;
}

export interface HostDrift {
  readonly host: string;
  /** The release `current` points at, if any. */
  readonly release?: string;
  readonly items: readonly DriftItem[];
  /** What a check could not compare (zfs output it could not read, creation-only properties). */
  readonly findings: readonly Finding[];
}

type Services = Record<string, { image?: string } | null>;

/**
 * Each service of the current release with compose's config hash for it and the image it names.
 * With compose v1 the hash is computed from the rendered files without `name` (what deploy wrote
 * as compose.v1.yaml); the release's compose.v1.yaml, which the manifest does not list, must
 * still be exactly that, or it is drift itself.
 */
async function expectedServices(session: Session, host: string, info: ReleaseInfo, items: DriftItem[]): Promise<Map<string, ExpectedService>> {
  const v1 = isComposeV1(session.target.composeCommand);
  const runFiles = v1 ? info.composeFiles.map((p) => runFileName(p, true)) : [];
  const files = await readRemoteFiles(session.shell, session.layout.current, [...info.composeFiles, ...runFiles]);
  // A rendered compose file gone from the release is drift-file already; compose then reads what is there.
  const v1Files = v1 && info.composeFiles.every((p) => files.has(p)) ? info.composeFiles.map((p) => composeForV1(files.get(p)!)) : undefined;
  for (const [i, path] of runFiles.entries()) {
    if (v1Files && files.get(path) !== v1Files[i]) {
      items.push({ code: 'drift-file', host, what: `files/${path}`, expected: `${info.composeFiles[i]} without its top-level name`, actual: files.has(path) ? 'other content' : 'the file missing' });
    }
  }
  const hashes = parseConfigHashes(
    await session.shell.check('computing the config hashes of the current release', configHashScript(session.target, session.layout, info.project, info.composeFiles, v1Files)),
  );
  const images = new Map<string, string>();
  for (const path of info.composeFiles) {
    for (const [name, svc] of Object.entries((parseYaml(files.get(path) ?? '') as { services?: Services } | null)?.services ?? {})) {
      if (typeof svc?.image === 'string') images.set(name, svc.image);
    }
  }
  const expected = new Map<string, ExpectedService>();
  for (const name of Object.keys(info.services)) {
    const image = images.get(name);
    expected.set(name, { hash: hashes.get(name) ?? '', ...(image ? { image } : {}) });
  }
  return expected;
}

/**
 * Compares what one host runs with what it should: the files of its current release against the
 * release's manifest; for a compose stack, its containers against the release; for a Proxmox host,
 * its guests' configurations and its datasets against the builds. Read-only: no lock is taken.
 * A connection or command failure throws a DeployError (the CLI exits 2).
 */
export async function driftHost(request: DriftRequest): Promise<HostDrift> {
  const host = request.host.name;
  const session = await openSession(hostContextTarget(request), host);
  try {
    const state = await readRemoteState(session.shell, session.layout);
    const items: DriftItem[] = [];
    const findings: Finding[] = [];
    if (!state.current || !state.info) {
      items.push({ code: 'drift-no-release', host, what: 'current', expected: 'a deployed release', actual: state.current ? `release ${state.current} without its release.json` : 'none' });
    } else {
      const info = state.info;
      const hashes = await session.shell.check('hashing the files of the current release', releaseHashesScript(session.layout.current, checkedPaths(info)));
      items.push(...releaseFileDrift(host, info, hashes));
      if (info.composeFiles.length > 0 && session.target.via === 'ssh') {
        const expected = await expectedServices(session, host, info, items);
        const running = parseRunningContainers(await session.shell.check('reading the containers', containersDriftScript(session.target, info.project)));
        items.push(...containerDrift(host, expected, running));
      }
    }
    if (request.host.kind === 'pve') {
      const env = request.env ?? process.env;
      const local = readLocalRelease(request.host, join(request.hostDir, 'dist'), secretsDir(request.root, env));
      const wanted = zfsLayoutOf(local);
      const guests = nodeGuests(request.lab, request.host.node, request.hostDirs, secretsDir(request.root, env));
      const node = await pveDrift({ host, guests, ...(wanted ? { wanted } : {}), run: shellZfs(session.shell) });
      items.push(...node.items);
      findings.push(...node.findings);
    }
    return { host, ...(state.current ? { release: state.current } : {}), items, findings };
  } finally {
    await session.close();
  }
}
