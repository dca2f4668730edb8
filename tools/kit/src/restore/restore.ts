import { composeCommand, type DeployRequest, describeTarget, hostContext, hostTarget, lockedSession, openSession, waitHealthy } from '../deploy/index.js';
import { DeployError, messageOf } from '../common/errors.js';
import { isProxmoxHost, poolHost } from '../model/proxmox-host.js';
import { requireSnapshot, restorePlan, rsyncScript, snapshotCheckScript, snapshotListScript, type RestorePlan } from './plan.js';

export interface RestoreOptions {
  readonly service: string;
  readonly snapshot: string;
  /** List the snapshots and print what would run; stop, copy and start nothing. */
  readonly dryRun?: boolean;
}

export interface RestoreResult {
  readonly host: string;
  readonly service: string;
  readonly snapshot: string;
  readonly node: string;
  readonly folders: readonly { readonly from: string; readonly to: string }[];
  /** The services stopped and started again. */
  readonly stopped: readonly string[];
  /** What runs on the node, in order (with --dry-run: what would). */
  readonly nodeScripts: readonly string[];
  readonly dryRun: boolean;
}

/**
 * `homelab restore <host>/<service> --snapshot <name>`: the service's folders come back from a
 * ZFS snapshot on the Proxmox node that holds the pool. The host is locked like a deploy, the
 * service (and every service of the host that mounts one of its folders) is stopped with
 * compose, each folder is copied back from `.zfs/snapshot/<name>/` with rsync --delete, and the
 * services are started and waited for. Never `zfs rollback`: it rewinds the whole dataset
 * (every other service's folder in it) and destroys every later snapshot, which the offsite
 * replica still has, so the next incremental send would fail.
 */
export async function restoreService(request: DeployRequest, opts: RestoreOptions): Promise<RestoreResult> {
  if (isProxmoxHost(request.host)) throw new DeployError('restore-unknown', `${request.host.name} is the Proxmox host; restore a service of a guest: <host>/<service>.`);
  const plan: RestorePlan = restorePlan(request.lab, request.host.name, opts.service);
  const node = poolHost(request.lab);
  if (!node) throw new DeployError('restore-no-pool', `the lab has no Proxmox host holding the pool ${request.lab.facts.zfs.pool}; there is no snapshot to restore from.`);
  const ctx = hostContext(request);
  const { progress } = ctx;
  // The command line's target options are the guest's; the node is reached as deploy pve reaches it (model, HOMELAB_DEPLOY_<NODE>_*).
  const nodeTarget = hostTarget(node, ctx.env);
  const nodeSession = await progress.step(`connect to ${node.name} (${describeTarget(nodeTarget)})`, () => openSession(nodeTarget, node.name));
  try {
    const listing = await progress.step('list the snapshots', () => nodeSession.shell.check('listing the snapshots', snapshotListScript(plan)));
    requireSnapshot(plan, listing, opts.snapshot);
    const nodeScripts = plan.folders.map((f) => rsyncScript(f, opts.snapshot));
    const result: RestoreResult = {
      host: plan.host.name,
      service: plan.service.name,
      snapshot: opts.snapshot,
      node: node.name,
      folders: plan.folders.map((f) => ({ from: f.snapshotPath(opts.snapshot), to: f.path })),
      stopped: plan.stop,
      nodeScripts,
      dryRun: !!opts.dryRun,
    };
    if (opts.dryRun) return result;
    // Every snapshot folder is there before anything stops.
    await progress.step('check the snapshot folders', () => nodeSession.shell.check('checking the snapshot folders', plan.folders.map((f) => snapshotCheckScript(f, opts.snapshot)).join('\n')));
    const { session, state, release } = await lockedSession(ctx, 'restore');
    try {
      const info = state.info;
      if (!info || info.composeFiles.length === 0) throw new DeployError('restore-not-running', `${plan.host.name} runs no compose release yet; deploy it first.`);
      const compose = (args: readonly string[]) => composeCommand(session.target, session.layout, info.project, info.composeFiles, args);
      await progress.step(`stop ${plan.stop.join(', ')}`, () => session.shell.check('stopping the services', compose(['stop', ...plan.stop])));
      for (const [i, script] of nodeScripts.entries()) {
        const f = plan.folders[i]!;
        await progress.step(`copy ${f.fullName}/${f.sub} back from @${opts.snapshot}`, () => nodeSession.shell.check(`restoring ${f.sub}`, script)).catch((e: unknown) => {
          throw new DeployError('restore-failed', `copying ${f.path} back failed, so ${plan.stop.join(', ')} stay stopped (their data may be half restored; run the restore again): ${messageOf(e)}`);
        });
      }
      await progress.step(`start ${plan.stop.join(', ')}`, () => session.shell.check('starting the services', compose(['start', ...plan.stop])));
      await progress.step(`wait for ${plan.stop.join(', ')} to be healthy`, (step) => waitHealthy(session, info.project, plan.stop, step));
      return result;
    } finally {
      await release();
    }
  } finally {
    await nodeSession.close();
  }
}
