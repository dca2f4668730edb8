import { formatFinding } from '../../findings.js';
import { applyZfsPlan, planZfsOn, type RunZfs } from '../../zfs/apply.js';
import type { ZfsPlan } from '../../zfs/plan.js';
import type { WantedLayout } from '../../zfs/wanted.js';
import { DeployError } from '../../common/errors.js';
import type { ReleaseFiles } from './guest.js';
import type { Progress } from '../../common/progress.js';
import type { RemoteShell } from '../../shell/remote-shell.js';
import { commandLine } from '../../shell/quote.js';
import { missingFoldersScript } from '../../render/volume-dirs.js';

/** The pool layout a build carries (`zfs-plan`, the Proxmox host's zfs-datasets.json), if any. */
export function zfsLayoutOf(release: ReleaseFiles): WantedLayout | undefined {
  const a = release.manifest.artifacts.find((x) => x.kind === 'zfs-plan');
  return a ? (JSON.parse(release.files.get(a.path)!) as WantedLayout) : undefined;
}

/** zfs commands run through the deploy's shell on the host. */
export function shellZfs(shell: RemoteShell): RunZfs {
  return (argv) => shell.run(commandLine(argv));
}

/** For plan: what zfs would change on the host (read-only). */
export function planZfsStep(shell: RemoteShell, wanted: WantedLayout, host: string): Promise<ZfsPlan> {
  return planZfsOn(wanted, shellZfs(shell), host);
}

/**
 * The dataset step of a deploy, before the release's files land: create what is missing, set
 * what differs, never destroy; stops the deploy (nothing switched yet) when the host does not
 * end up matching the layout.
 */
export async function applyZfsStep(shell: RemoteShell, wanted: WantedLayout, host: string, progress: Progress): Promise<void> {
  await progress.step(`zfs datasets of pool ${wanted.pool}`, async (step) => {
    const result = await applyZfsPlan(wanted, shellZfs(shell), host);
    if (result.applied.length > 0) step.title(`zfs datasets of pool ${wanted.pool}: ${result.applied.length} change(s)`);
    if (result.failed) throw new DeployError('zfs-failed', `${commandLine(result.failed.action.argv)} failed on ${host}: ${result.failed.stderr}`);
    if (!result.ok) throw new DeployError('zfs-failed', `the pool ${wanted.pool} on ${host} does not match the layout:\n${result.findings.filter((f) => f.severity === 'error').map(formatFinding).join('\n')}`);
    for (const f of result.findings) progress.info(formatFinding(f));
  });
  const folders = wanted.folders ?? [];
  if (folders.length > 0) {
    await progress.step(`the shared folders of the datasets (${folders.length}), owned by the app user where missing`, () =>
      shell.check('creating the shared folders', missingFoldersScript(folders.map((f) => ({ ...f, mode: '0775' })))),
    );
  }
}
