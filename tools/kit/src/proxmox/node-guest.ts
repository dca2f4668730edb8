import { DeployError } from '../common/errors.js';
import type { Progress } from '../common/progress.js';
import type { RemoteShell } from '../shell/remote-shell.js';
import type { Dialect } from './dialects.js';
import { planGuest, type GuestPlan, type GuestPlanInput } from './guest-plan.js';
import { describeStep, stepScript, type GuestStep, type SecretValues } from './steps.js';
import { parseGuestConf } from './conf.js';
import { migrationSteps, type Migration } from './migrate.js';

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
  /** The Debian package the file's unit comes from (installed first when absent). */
  readonly package?: string;
}

/** The script that installs a Debian package unless dpkg lists it as installed (idempotent). */
export function packageInstallScript(name: string): string {
  return `dpkg-query -W -f='\${Status}' ${name} 2>/dev/null | grep -q 'ok installed' || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${name}; }`;
}

/** `pct push` each file (its folder made first), then restart each unit once, inside the container. */
export function pushSteps(vmid: number, files: readonly PushedFile[]): GuestStep[] {
  const steps: GuestStep[] = [];
  const units = new Set<string>();
  const id = String(vmid);
  for (const name of [...new Set(files.flatMap((f) => (f.package ? [f.package] : [])))].sort()) {
    steps.push({ kind: 'run', argv: ['pct', 'exec', id, '--', 'sh', '-c', packageInstallScript(name)], why: `install ${name} in ${vmid} (when absent)` });
  }
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

