import { composeServices } from '../../model/kubernetes.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../render/artifact.js';
import { sha256 } from '../../render/artifact.js';
import type { Machine } from '../../model/proxmox-host.js';
import type { PveQemuSetup } from '../../render/pve-qemu-setup.js';
import { serviceSecrets } from '../../model/service-facts.js';
import { secretFileOwners, type SecretFileOwner } from '../../model/secret-owners.js';
import { secretFile, secretFingerprint } from '../../secrets/store.js';
import { DeployError } from '../../common/errors.js';
import type { DeployRecord } from '../record/record.js';
import { composeSecretNames, projectOf, servicesOf, type ServiceUse } from './release-compose.js';

export interface ReleaseSecret {
  readonly name: string;
  /** The encrypted file in the store; absent when the store has no value for it. */
  readonly file?: string;
  readonly fingerprint?: string;
  /** Read by the compose stack as a file (`secrets/<name>`); otherwise filled into placeholders or set as a VM option (sshkeys). */
  readonly asFile: boolean;
  /** For a compose secret: the owner and mode its file gets on the host (a bind mount keeps both), its reader's uid. */
  readonly owner?: SecretFileOwner;
}

/**
 * What the host records of a secret: its encrypted file's fingerprint, and the owner its file
 * gets. A changed owner reads as a changed secret, so the services that read it are recreated
 * and mount the new file.
 */
export function secretStamp(s: ReleaseSecret): string {
  const fingerprint = s.fingerprint ?? 'missing';
  return s.owner ? `${fingerprint} owner=${s.owner.uid}:${s.owner.gid}/${s.owner.mode}` : fingerprint;
}

/** What `homelab build` wrote for a host, checked, with the id the release gets on the host. */
export interface LocalRelease {
  readonly host: string;
  readonly distDir: string;
  readonly manifestText: string;
  readonly manifest: Manifest;
  /** Every file of dist/ by path (manifest.json included). */
  readonly files: ReadonlyMap<string, string>;
  /** The compose files, in path order; the stack's project name. */
  readonly composeFiles: readonly string[];
  readonly project: string;
  /** Every service of the stack with what it reads. */
  readonly services: Readonly<Record<string, ServiceUse>>;
  readonly secrets: readonly ReleaseSecret[];
  /** sha256 of the manifest and the secrets' fingerprints, shortened: the release directory's name. */
  readonly id: string;
}

/** What the host keeps as releases/<id>/release.json; never holds a secret value. */
export interface ReleaseInfo {
  readonly id: string;
  readonly host: string;
  readonly project: string;
  readonly composeFiles: readonly string[];
  /** Every service of the stack with what it reads. */
  readonly services: Readonly<Record<string, ServiceUse>>;
  readonly manifest: Manifest;
  /** Secret name -> fingerprint of its encrypted file, and the owner of its file on the host (secretStamp). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly record: DeployRecord;
}

export function releaseId(manifestText: string, secrets: readonly ReleaseSecret[]): string {
  const hash = createHash('sha256').update(manifestText);
  for (const s of [...secrets].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`\0${s.name}\0${secretStamp(s)}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Reads and checks packages/<host>/dist: every file the manifest lists is there with its sha256.
 * The secrets come from the model (what the compose renderer lists), so an unchanged deploy
 * never parses YAML; the stack's services and project name are read from dist/ when first asked.
 */
export function readLocalRelease(host: Machine, distDir: string, secretsDir: string): LocalRelease {
  const manifestPath = join(distDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new DeployError('dist-missing', `${host.name} has no build to deploy (${manifestPath} is missing): run \`nx run ${host.name}:build\` (or pnpm build) first.`);
  }
  const manifestText = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(manifestText) as Manifest;
  if (manifest.host !== host.name) throw new DeployError('dist-mismatch', `${manifestPath} is the build of ${manifest.host}, not ${host.name}.`);
  const files = new Map<string, string>([['manifest.json', manifestText]]);
  for (const a of manifest.artifacts) {
    const path = join(distDir, a.path);
    const content = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (content === undefined || sha256(content) !== a.sha256) {
      throw new DeployError('dist-stale', `${host.name}'s dist/${a.path} ${content === undefined ? 'is missing' : 'does not match its manifest'}: rebuild with \`nx run ${host.name}:build\`.`);
    }
    files.set(a.path, content);
  }
  const composeFiles = manifest.artifacts.filter((a) => a.kind === 'compose').map((a) => a.path).sort();
  const asFiles = new Set(composeFiles.length === 0 || host.kind === 'pve' ? [] : composeServices(host).flatMap((s) => serviceSecrets(s).map((r) => r.name)));
  const names = [...new Set([...asFiles, ...manifest.artifacts.flatMap((a) => a.install?.secrets ?? []), ...setupSecretNames(manifest, files)])].sort();
  const owners = asFiles.size > 0 && host.kind !== 'pve' ? secretFileOwners(composeServices(host)) : new Map<string, SecretFileOwner>();
  const secrets = names.map((name): ReleaseSecret => {
    const file = secretFile(secretsDir, host.name, name);
    const asFile = asFiles.has(name);
    const owner = asFile ? owners.get(name) : undefined;
    return { name, ...(file ? { file, fingerprint: secretFingerprint(file) } : {}), asFile, ...(owner ? { owner } : {}) };
  });
  let services: Record<string, ServiceUse> | undefined;
  let project: string | undefined;
  return {
    host: host.name,
    distDir,
    manifestText,
    manifest,
    files,
    composeFiles,
    get project() {
      project ??= projectOf(files, composeFiles, host.name);
      return project;
    },
    get services() {
      services ??= servicesOf(files, composeFiles);
      return services;
    },
    secrets,
    id: releaseId(manifestText, secrets),
  };
}

/** The secrets a VM's setup sets as options through its node (`secretOptions` of proxmox/<vmid>.setup.json). */
function setupSecretNames(manifest: Manifest, files: ReadonlyMap<string, string>): string[] {
  return manifest.artifacts.filter((a) => a.kind === 'pve-qemu-setup').flatMap((a) => Object.values((JSON.parse(files.get(a.path)!) as PveQemuSetup).secretOptions));
}

/** dist/ and the model must agree on the secrets (a stale build does not): checked before upload. */
export function checkSecretsMatchDist(local: LocalRelease): void {
  const inDist = [...new Set(local.composeFiles.flatMap((p) => composeSecretNames(local.files.get(p)!)))].sort();
  const inModel = local.secrets.filter((s) => s.asFile).map((s) => s.name);
  if (JSON.stringify(inDist) !== JSON.stringify(inModel)) {
    throw new DeployError('dist-stale', `${local.host}'s dist/ lists secrets [${inDist.join(', ')}] but the model has [${inModel.join(', ')}]: rebuild with \`nx run ${local.host}:build\`.`);
  }
}

/** The release.json of a local release, with the record of this deploy. */
export function releaseInfo(local: LocalRelease, record: DeployRecord): ReleaseInfo {
  return {
    id: local.id,
    host: local.host,
    project: local.project,
    composeFiles: local.composeFiles,
    services: local.services,
    manifest: local.manifest,
    secrets: Object.fromEntries(local.secrets.map((s) => [s.name, secretStamp(s)])),
    record,
  };
}
