import type { Manifest } from '../../render/artifact.js';
import { containersScript, healthLogScript, judgeHealth, NOTHING_CHANGED, parseContainers, upScript, type ContainerState } from './compose-run.js';
import { configHashes } from './converge.js';
import { DeployError } from '../../common/errors.js';
import type { StepControl } from '../../common/progress.js';
import type { Progress } from '../../common/progress.js';
import type { ReleaseInfo } from '../release/release.js';
import { mergeSectionsScript } from './merge-sections.js';
import { unitsToEnable } from './enable-units.js';
import { bootUnit, bootUnitName, bootUnitScript, NO_SYSTEMD } from './boot-unit.js';
import { changedEntries, isGuestFile } from '../release/placement.js';
import { kubernetesRemovals, kubernetesRemovalScript } from './kubernetes-removal.js';
import type { Session } from '../connect/session.js';
import { commandLine, quote } from '../../shell/quote.js';
import { switchScript } from '../release/upload.js';

/** Files of a release installed on the guest itself (their `install` spec), changed since `before`. */
export function installChanges(next: Manifest, before: Manifest | undefined): Manifest['artifacts'][number][] {
  return changedEntries(next, before, isGuestFile);
}

/**
 * install(1) each changed file from the current release to its place (a file of Proxmox's
 * /etc/pve is copied, its folder made first: that file system keeps no mode or owner); systemd reloaded when a unit
 * file changed; each unit file deploy installs enabled (so boot starts it again); each unit to restart restarted once.
 */
export function installScript(currentDir: string, changes: Manifest['artifacts'][number][]): string {
  const lines: string[] = [];
  const units = new Set<string>();
  for (const a of changes) {
    const spec = a.install!;
    const [user, group] = (spec.owner ?? '').split(':');
    const source = `${currentDir}/${a.path}`;
    // The folder first: a fresh node has no /etc/pve/mapping/ or /etc/pve/firewall/ (pmxcfs makes folders on mkdir, not on cp).
    if (spec.merge === 'sections') lines.push(mergeSectionsScript(source, spec.path));
    else if (spec.path.startsWith('/etc/pve/')) lines.push(commandLine(['mkdir', '-p', spec.path.slice(0, spec.path.lastIndexOf('/'))]), commandLine(['cp', source, spec.path]));
    else lines.push(commandLine(['install', '-D', '-m', spec.mode ?? '0644', ...(user ? ['-o', user] : []), ...(group ? ['-g', group] : []), source, spec.path]));
    if (spec.restart) units.add(spec.restart);
  }
  if (changes.some((a) => /^\/(etc|usr\/lib|lib)\/systemd\//.test(a.install!.path))) lines.push('systemctl daemon-reload');
  const enable = unitsToEnable(changes);
  if (enable.length > 0) lines.push(commandLine(['systemctl', 'enable', ...enable]));
  for (const unit of [...units].sort()) lines.push(`systemctl restart ${quote(unit)}`);
  return lines.join('\n');
}

/**
 * Creates each folder of `volume-dirs.list` that does not exist yet, with its owner and mode;
 * an existing folder is left exactly as it is (its data and owner are the user's).
 */
export function volumeDirsScript(currentDir: string): string {
  return `while read -r owner mode path; do [ -d "$path" ] || install -d -o "\${owner%%:*}" -g "\${owner##*:}" -m "$mode" "$path"; done < ${quote(`${currentDir}/volume-dirs.list`)}`;
}

/** Polls the project's containers until every service is healthy (returns them), one fails, or time runs out. */
export async function waitHealthy(session: Session, project: string, services: readonly string[], step: StepControl): Promise<ContainerState[]> {
  const t = session.target;
  const deadline = performance.now() + t.healthTimeoutSeconds * 1000;
  let last = '';
  for (;;) {
    const containers = parseContainers(await session.shell.check('listing the containers', containersScript(t, project)));
    const verdict = judgeHealth(services, containers);
    if (verdict.state === 'healthy') return containers;
    if (verdict.state === 'failed') {
      const log = (await session.shell.run(healthLogScript(t, verdict.id))).stdout.trim();
      throw new DeployError('unhealthy', `${verdict.service} is not healthy: ${verdict.why}${log ? `; its last healthcheck output:\n${log}` : '.'}`);
    }
    if (verdict.pending !== last) step.note(`waiting for ${verdict.pending}`);
    last = verdict.pending;
    if (performance.now() > deadline) {
      throw new DeployError('health-timeout', `the stack was not healthy after ${t.healthTimeoutSeconds}s; still waiting for ${verdict.pending}.`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Makes a release the running one: switch `current`, install its guest files, `up -d
 * --remove-orphans`, recreate what reads changed secrets, wait for health. Returns the healthy
 * containers' compose config hashes (for the record), when the release has a stack.
 */
export async function activate(session: Session, next: ReleaseInfo, before: ReleaseInfo | undefined, recreate: readonly string[], progress: Progress): Promise<Record<string, string> | undefined> {
  const { shell, layout, target } = session;
  await progress.step(`switch current to ${next.id}`, () => shell.check('switching current', switchScript(layout, next.id)));
  const removals = kubernetesRemovals(next.manifest, before?.manifest);
  if (removals.length > 0) {
    await progress.step(`delete ${removals.length} Kubernetes file(s) and their objects on ${next.host}`, () => shell.check('deleting Kubernetes objects', kubernetesRemovalScript(removals)));
  }
  const installs = installChanges(next.manifest, before?.manifest);
  if (installs.length > 0) {
    await progress.step(`install ${installs.length} file(s) on ${next.host}`, () => shell.check('installing files', installScript(layout.current, installs)));
  }
  const services = Object.keys(next.services);
  if (next.composeFiles.length === 0) return undefined;
  if (next.manifest.artifacts.some((a) => a.kind === 'volume-dirs')) {
    await progress.step('create the missing dataset folders of the stack, owned by their services', () => shell.check('creating dataset folders', volumeDirsScript(layout.current)));
  }
  await progress.step(`${target.composeCommand.split(' ').slice(-2).join(' ')} up -d --remove-orphans`, () =>
    shell.check('compose up', upScript(target, layout, next.project, next.composeFiles, recreate)).catch((e: unknown) => {
      if (e instanceof Error && e.message.includes(NOTHING_CHANGED)) throw new DeployError('start-changed-nothing', e.message.replace(new RegExp(`\\n?${NOTHING_CHANGED}`, 'g'), ''));
      throw e;
    }),
  );
  const unit = bootUnitName(next.host);
  await progress.step(`enable ${unit}: compose starts the stack in its order at boot`, async (step) => {
    const out = await shell.check('installing the boot unit', bootUnitScript(bootUnit(target, layout, next.host, next.project, next.composeFiles), unit));
    if (out.includes(NO_SYSTEMD)) step.note(`${next.host} did not boot with systemd (no /run/systemd/system): no boot unit; after a reboot only dockerd's restart policies start the stack`);
  });
  const healthy = await progress.step(`wait for ${services.length} service(s) to be healthy`, (step) => waitHealthy(session, next.project, services, step));
  return configHashes(healthy);
}
