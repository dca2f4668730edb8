import { applySteps, pushSteps, startIfStoppedStep, unitsActiveStep } from '../../proxmox/node-guest.js';
import type { GuestStep } from '../../proxmox/steps.js';
import { installChanges, installScript } from './on-guest.js';
import type { HostContext } from '../context.js';
import { DeployError } from '../../common/errors.js';
import { applyGuestWork, guestChanged, planGuestWork, type ReleaseFiles } from './guest.js';
import { changedEntries, isNodeFile } from '../release/placement.js';
import type { ReleaseInfo } from '../release/release.js';
import type { Session } from '../connect/session.js';
import { switchScript } from '../release/upload.js';


/**
 * Makes a release the running one for a host deployed through its Proxmox node (a container):
 * switch `current` on the node, apply the guest definition when it changed, start the container,
 * `pct push` the changed files from the release and restart their units, check they are active.
 * `release` is the release as files (for the guest definition's content).
 */
export async function activateOnNode(ctx: HostContext, session: Session, next: ReleaseInfo, before: ReleaseInfo | undefined, release: ReleaseFiles): Promise<void> {
  const { shell, layout } = session;
  const { progress } = ctx;
  const vmid = ctx.request.host.kind === 'pve' ? 0 : ctx.request.host.vmid;
  if (next.composeFiles.length > 0) {
    throw new DeployError('lxc-compose-unsupported', `${next.host} has a compose stack but is deployed through its Proxmox node (pct), which runs no compose: set deploy.via to 'ssh' on the host so the stack goes over SSH to the container itself.`);
  }
  await progress.step(`switch current to ${next.id}`, () => shell.check('switching current', switchScript(layout, next.id)));
  const nodeFiles = changedEntries(next.manifest, before?.manifest, isNodeFile);
  if (nodeFiles.length > 0) await progress.step(`install ${nodeFiles.length} file(s) on the node`, () => shell.check('installing node files', installScript(layout.current, nodeFiles)));
  if (guestChanged(release, before?.manifest, false)) {
    const work = await planGuestWork(ctx, release, shell);
    if (work) await applyGuestWork(ctx, shell, work);
  }
  const pushes = installChanges(next.manifest, before?.manifest);
  if (pushes.length === 0) return;
  const files = pushes.map((a) => ({ source: `${layout.current}/${a.path}`, path: a.install!.path, mode: a.install!.mode, owner: a.install!.owner, restart: a.install!.restart, ...(a.install!.source ? { installs: a.install!.source } : {}) }));
  const units = [...new Set(pushes.flatMap((a) => (a.install!.restart ? [a.install!.restart] : [])))].sort();
  const steps: GuestStep[] = [startIfStoppedStep(vmid), ...pushSteps(vmid, files), ...(units.length ? [unitsActiveStep(vmid, units)] : [])];
  await applySteps(shell, steps, progress, `${next.host} (${vmid})`);
}
