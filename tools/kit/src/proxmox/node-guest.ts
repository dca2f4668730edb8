import { DeployError } from '../common/errors.js';
import type { Progress } from '../common/progress.js';
import type { RemoteShell } from '../shell/remote-shell.js';
import type { Dialect } from './dialects.js';
import { planGuest, type GuestPlan, type GuestPlanInput } from './guest-plan.js';
import { describeStep, stepScript, type GuestStep, type SecretValues } from './steps.js';
import { parseGuestConf } from './conf.js';
import { migrationSteps, type Migration } from './migrate.js';
import { CA_CERTIFICATES, unitSourceKey, type UnitSource } from '../model/unit-source.js';
import { quote } from '../shell/quote.js';

/** Where the guest's file is in the cluster: /etc/pve/nodes/<node>/{lxc,qemu-server}/<vmid>.conf. */
export function findGuestScript(vmid: number): string {
  return `for f in /etc/pve/nodes/*/lxc/${vmid}.conf /etc/pve/nodes/*/qemu-server/${vmid}.conf; do if [ -f "$f" ]; then echo "--conf $f"; cat "$f"; fi; done`;
}

export interface FoundGuest {
  readonly node: string;
  readonly dir: string;
  readonly text: string;
}

export function parseFoundGuest(out: string): FoundGuest | undefined {
  const part = out.split('--conf ').slice(1)[0];
  if (!part) return undefined;
  const nl = part.indexOf('\n');
  const path = part.slice(0, nl);
  const m = /^\/etc\/pve\/nodes\/([^/]+)\/([^/]+)\//.exec(path);
  return m ? { node: m[1]!, dir: m[2]!, text: part.slice(nl + 1) } : undefined;
}

/** How a guest found on another node is moved to its own: the nodes' addresses, and whether it can move live. */
export interface MoveOptions {
  readonly addressOf: (node: string) => string;
  /** False for a VM with virtiofs mounts, which qemu-server cannot migrate while it runs. */
  readonly live: boolean;
}

/**
 * Reads the guest's configuration on the node and plans the steps; a vmid taken by another guest
 * stops here. A guest the cluster holds on another node is migrated there first (with `move`),
 * then planned against its own file: never destroyed and created.
 */
export async function planGuestOnNode(shell: RemoteShell, node: string, input: Omit<GuestPlanInput, 'current'>, move?: MoveOptions): Promise<GuestPlan> {
  const d: Dialect = input.dialect;
  const found = parseFoundGuest(await shell.check(`reading the configuration of ${input.vmid}`, findGuestScript(input.vmid)));
  if (found && found.dir !== d.confDir) {
    throw new DeployError('vmid-taken', `vmid ${input.vmid} is a ${found.dir === 'lxc' ? 'container' : 'VM'} on ${found.node}, but the model makes it a ${d.noun}: nothing was changed. Give the host another vmid or remove that guest by hand.`);
  }
  if (found && found.node !== node && move) {
    const migration: Migration = { from: found.node, to: node, mode: d.kind === 'qemu' && move.live ? 'live' : 'restart' };
    const rest = planGuest({ ...input, node, current: found.text });
    const onboot = parseGuestConf(input.desired).options.get('onboot') === '1';
    return { ...rest, migration, steps: [...migrationSteps(d, input.vmid, migration, move.addressOf(found.node), onboot), ...rest.steps] };
  }
  if (found && found.node !== node) {
    throw new DeployError('guest-on-other-node', `${d.noun} ${input.vmid} lives on node ${found.node}, but the model puts it on ${node}: migrate it (or change the host's node) first; nothing was changed.`);
  }
  return planGuest({ ...input, node, current: found?.text });
}

/** Runs the steps in order (`secrets` for the steps that set an option from one); the first failure stops with the command that failed. */
export async function applySteps(shell: RemoteShell, steps: readonly GuestStep[], progress: Progress, where: string, secrets?: SecretValues): Promise<void> {
  for (const step of steps) {
    await progress.step(`${where}: ${describeStep(step).split('\n')[0]}`, () => shell.check(step.why, stepScript(step, secrets)));
  }
}

/** Files for the guest's own filesystem, pushed by `pct push` from the release on the node. */
export interface PushedFile {
  readonly source: string;
  readonly path: string;
  readonly mode?: string;
  readonly owner?: string;
  readonly restart?: string;
  /** Where the file's unit comes from (installed first when absent). */
  readonly installs?: UnitSource;
}

/**
 * The script that installs a Debian package in a container unless dpkg lists it as installed
 * (idempotent). Without its Recommends: a container holds the daemon it runs, not what a full
 * machine would want beside it (prometheus-node-exporter recommends its collectors, which pull in
 * smartmontools, whose smartd has no disk to watch in a container and was seen running once at
 * install and never again).
 */
export function packageInstallScript(name: string): string {
  return `dpkg-query -W -f='\${Status}' ${name} 2>/dev/null | grep -q 'ok installed' || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${name}; }`;
}

/** apt-helper (in apt itself, so in every Debian container) downloads a file, checking its SHA-256 when pinned. */
function downloadScript(url: string, path: string, sha256?: string): string {
  return `/usr/lib/apt/apt-helper download-file ${quote(url)} ${quote(path)}${sha256 ? ` SHA256:${sha256}` : ''}`;
}

/**
 * The script that installs a unit's source unless it is there (idempotent): a Debian package
 * with apt-get; an upstream repository's package after writing its keyring (downloaded) and its
 * source line; a release archive downloaded and unpacked into its folder (again when its version
 * differs, restarting the service), then its service installer when the unit file is absent.
 */
export function sourceInstallScript(s: UnitSource): string {
  if (s.from === 'debian') return packageInstallScript(s.package);
  if (s.from === 'apt-repository') {
    const dir = s.keyring.path.slice(0, s.keyring.path.lastIndexOf('/'));
    return `dpkg-query -W -f='\${Status}' ${s.package} 2>/dev/null | grep -q 'ok installed' || { mkdir -p ${quote(dir)} && ${downloadScript(s.keyring.url, s.keyring.path, s.keyring.sha256)} && printf '%s\\n' ${quote(s.line)} > ${quote(s.list)} && apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${s.package}; }`;
  }
  const tmp = `/tmp/${s.url.slice(s.url.lastIndexOf('/') + 1)}`;
  const unit = s.unitFile.slice(s.unitFile.lastIndexOf('/') + 1);
  const fetch = `${downloadScript(s.url, tmp, s.sha256)} && mkdir -p ${quote(s.dir)} && tar -C ${quote(s.dir)} --strip-components=1 -xzf ${quote(tmp)} && rm -f ${quote(tmp)} && { test ! -f ${quote(s.unitFile)} || systemctl restart ${unit}; }`;
  return `{ ${s.installed} || { ${fetch}; }; } && { test -f ${quote(s.unitFile)} || ${s.installService}; }`;
}

/** What installing a source says in deploy's output and plan. */
export function describeSource(s: UnitSource): string {
  if (s.from === 'debian') return `${s.package} (Debian)`;
  if (s.from === 'apt-repository') return `${s.package} (${s.line.replace(/^deb (\[[^\]]*\] )?/, '')}, keyring ${s.keyring.url})`;
  return `${s.name} ${s.version} (${s.url}${s.sha256 ? `, sha256 ${s.sha256}` : ''})`;
}

/** The sources to install, each once, in order: the CA bundle first when any of them is fetched over https. */
export function sourcesToInstall(sources: readonly UnitSource[]): UnitSource[] {
  const byKey = new Map(sources.map((s) => [unitSourceKey(s), s]));
  const https = [...byKey.values()].some((s) => (s.from === 'apt-repository' ? s.keyring.url : s.from === 'release' ? s.url : '').startsWith('https:'));
  const rest = [...byKey.entries()].filter(([k]) => k !== unitSourceKey(CA_CERTIFICATES)).sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
  return [...(https || byKey.has(unitSourceKey(CA_CERTIFICATES)) ? [CA_CERTIFICATES] : []), ...rest];
}

/** One step per source: `pct exec` its install script (a no-op when it is there). */
export function sourceSteps(vmid: number, sources: readonly UnitSource[]): GuestStep[] {
  return sourcesToInstall(sources).map((s) => ({ kind: 'run', argv: ['pct', 'exec', String(vmid), '--', 'sh', '-c', sourceInstallScript(s)], why: `install ${describeSource(s)} in ${vmid} (when absent)` }));
}

/** `pct push` each file (its folder made first), then restart each unit once, inside the container. */
export function pushSteps(vmid: number, files: readonly PushedFile[]): GuestStep[] {
  const steps: GuestStep[] = sourceSteps(vmid, files.flatMap((f) => (f.installs ? [f.installs] : [])));
  const units = new Set<string>();
  const id = String(vmid);
  for (const f of files) {
    const [user, group] = (f.owner ?? '').split(':');
    const dir = f.path.slice(0, f.path.lastIndexOf('/')) || '/';
    steps.push({ kind: 'run', argv: ['pct', 'exec', id, '--', 'mkdir', '-p', dir], why: `make ${dir} in ${vmid}` });
    steps.push({
      kind: 'run',
      argv: ['pct', 'push', id, f.source, f.path, '--perms', f.mode ?? '0644', ...(user ? ['--user', user] : []), ...(group ? ['--group', group] : [])],
      why: `push ${f.path} into ${vmid}`,
    });
    if (f.restart) units.add(f.restart);
  }
  // A unit file deploy itself writes (tailscale-up.service) is enabled too, or the container's next boot would not start it;
  // a package's units are enabled by its own postinst, a release's by its installer.
  const own = new Set(files.filter((f) => f.restart && f.path === `/etc/systemd/system/${f.restart}`).map((f) => f.restart!));
  for (const unit of [...own].sort()) steps.push({ kind: 'run', argv: ['pct', 'exec', id, '--', 'systemctl', 'enable', unit], why: `enable ${unit} in ${vmid} (started at boot)` });
  for (const unit of [...units].sort()) steps.push({ kind: 'run', argv: ['pct', 'exec', id, '--', 'systemctl', 'restart', unit], why: `restart ${unit} in ${vmid}` });
  return steps;
}

/** Starts the container when it is not running (pct push and pct exec need it running). */
export function startIfStoppedStep(vmid: number): GuestStep {
  return { kind: 'script', text: `pct status ${vmid} | grep -q running || pct start ${vmid}`, why: `start ${vmid}` };
}

/** Every restarted unit must be active afterwards. */
export function unitsActiveStep(vmid: number, units: readonly string[]): GuestStep {
  return { kind: 'run', argv: ['pct', 'exec', String(vmid), '--', 'systemctl', 'is-active', '--quiet', ...units], why: `check ${units.join(', ')} in ${vmid} are active` };
}

export function nodeFileStep(path: string, content: string, mode = '0644'): GuestStep {
  return { kind: 'write', path, content, mode, why: `write ${path} on the node` };
}

