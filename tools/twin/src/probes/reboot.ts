import { bootUnitName } from '@homelab/kit/internal';
import { fail, ProbeLog, type ProbeResult } from '../probe.js';
import type { TwinVm, VmBoot } from '../vm.js';
import { mountUnitName } from '../vm-boot.js';
import { waitUntil } from '../wait.js';
import { containerOf, containerState } from './containers.js';
import type { StackService } from './stack.js';

/** A VM to reboot, with the stack its compose.yaml runs. */
export interface RebootTarget {
  readonly host: string;
  readonly vm: TwinVm;
  readonly stack: readonly StackService[];
}

/** Where a container stands after its VM booted: back (running, healthy where it has a check), still coming, or down for good. */
export type AfterBoot = 'up' | 'pending' | 'down';

/**
 * Where a container stands once its VM's boot is over (TwinVm.reboot returns after dockerd's own
 * restore and the boot units). dockerd at boot starts a container only by its restart policy
 * (Docker's docs, "Start containers automatically":
 * docs.docker.com/engine/containers/start-containers-automatically/, read 2026-12-07), and a start
 * that fails there (a network it shares not up yet) is not tried again: moby's restore only logs
 * it. So a container that is not running then is down for good, unless it is in its restart
 * back-off ("restarting"); a running one is back once healthy, where it has a check.
 */
export function afterBoot(state: { Running: boolean; Status?: string; Health?: { Status: string } }, healthcheck: boolean): AfterBoot {
  if (state.Running) return !healthcheck || state.Health?.Status === 'healthy' ? 'up' : 'pending';
  return state.Status === 'restarting' ? 'pending' : 'down';
}

/** On each dataset the VM mounts: 64 KiB of random bytes, synced; their paths and hashes. */
async function writeMarks(vm: TwinVm): Promise<{ path: string; sha256: string }[]> {
  const out: { path: string; sha256: string }[] = [];
  for (const m of vm.mounts) {
    const path = `${m.where}/.twin-power-loss-${process.pid}`;
    const r = await vm.node.exec(['sh', '-c', `head -c 65536 /dev/urandom > '${path}' && sync '${path}' && sha256sum < '${path}'`]);
    if (r.code !== 0) throw new Error(`twin: writing ${path} on ${vm.node.host}: ${r.stderr.trim()}`);
    out.push({ path, sha256: r.stdout.split(' ')[0]! });
  }
  return out;
}

/** Each container's short id (as `containerOf` gives it) and when it last started. */
async function startTimes(vm: TwinVm): Promise<Map<string, string>> {
  const ids = (await vm.docker(['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  const r = ids.length ? await vm.docker(['inspect', '--format', '{{.Id}} {{.State.StartedAt}}', ...ids]) : { stdout: '' };
  return new Map(r.stdout.split('\n').filter(Boolean).map((l) => {
    const [id, started] = l.split(' ');
    return [id!.slice(0, 12), started!] as const;
  }));
}

async function restartPolicy(vm: TwinVm, id: string): Promise<string> {
  return (await vm.docker(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', id])).stdout.trim();
}

/**
 * The reboot probe: every VM loses power at once and boots (TwinVm.reboot); then each must have
 * its datasets mounted again by their enabled units, and every container of its stack running
 * (and healthy) again, started by dockerd alone (no deploy in between). The other probes are
 * re-run by the caller afterwards (`afterReboot`).
 */
export async function probeReboots(log: ProbeLog, targets: readonly RebootTarget[], seconds: number): Promise<void> {
  // When each container last started: one that did not start again after the reboot never went down.
  const startedBefore = await Promise.all(targets.map((t) => startTimes(t.vm)));
  // A file written and synced on each dataset before the power loss: its hash must be the same after.
  const written = await Promise.all(targets.map((t) => writeMarks(t.vm)));
  const boots = await Promise.all(targets.map((t) => t.vm.reboot().then((boot): VmBoot | Error => boot, (e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
  for (const [i, t] of targets.entries()) {
    const boot = boots[i]!;
    const n = t.vm.mounts.length;
    const booted = await log.check(t.host, 'reboot', `${t.host} boots again after a power loss: sshd, dockerd and the ${n} dataset${n === 1 ? '' : 's'} it mounted`, async () => {
      if (boot instanceof Error) fail(boot.message);
      if (boot.lost.length > 0) {
        fail(boot.lost.map((m) => `${m.where} (virtiofs ${m.tag}) was mounted before the reboot and is not after it: ${mountUnitName(m.where)} is not enabled (cloud-init's runcmd runs on the first boot only; boot starts a unit only through its [Install] WantedBy= link)`).join('\n'));
      }
      for (const m of boot.mounted) if ((await t.vm.node.exec(['mountpoint', '-q', m.where])).code !== 0) fail(`${m.where} is not a mount point after the boot`);
    });
    if (!(boot instanceof Error) && written[i]!.length > 0) {
      await log.check(t.host, 'reboot', `what ${t.host} wrote and synced on its datasets before the power loss is there after it, byte for byte`, async () => {
        const lost: string[] = [];
        for (const w of written[i]!) {
          const now = (await t.vm.node.exec(['sh', '-c', `sha256sum < '${w.path}' && rm -f '${w.path}'`])).stdout.split(' ')[0];
          if (now !== w.sha256) lost.push(`${w.path}: ${now ? `sha256 ${now}, was ${w.sha256}` : 'gone'}`);
        }
        if (lost.length > 0) fail(lost.join('\n'));
        return `${written[i]!.length} file(s) of 64 KiB checked`;
      });
    }
    if (!booted.ok && boot instanceof Error) continue;
    if (!(boot instanceof Error)) {
      await log.check(t.host, 'reboot', `${t.host}'s boot starts the units enabled on its disk (deploy's boot unit: compose up in the stack's order)`, async () => {
        if (!boot.units.ok) fail(boot.units.log);
        return boot.units.log;
      });
    }
    for (const s of t.stack) {
      await log.check(t.host, 'reboot', `${s.name} runs${s.healthcheck ? ' and is healthy' : ''} again after ${t.host} reboots (dockerd's restart policy, no deploy)`, async () => {
        const id = await containerOf(t.vm, s.name);
        if (!id) fail(`no container for ${s.name} after the reboot`);
        const policy = await restartPolicy(t.vm, id);
        let last = 'pending' as AfterBoot;
        let status = '';
        await waitUntil(`${s.name} back after ${t.host} reboots`, async () => {
          const st = await containerState(t.vm, id);
          status = `${st.Status}${st.Running && st.Health ? `, ${st.Health.Status}` : ''}`;
          last = afterBoot(st, s.healthcheck);
          return last !== 'pending';
        }, seconds).catch((e: unknown) => fail(`${e instanceof Error ? e.message : String(e)}: it is ${status} (restart: ${policy || 'none'})`));
        if (last === 'down') {
          const unit = bootUnitName(t.host);
          const enabled = (await t.vm.node.exec(['systemctl', 'is-enabled', unit])).stdout.trim() || 'not-found';
          const why = policy === '' || policy === 'no'
            ? `its restart policy is "${policy || 'none'}", and dockerd starts at boot only containers whose policy is always or unless-stopped (on-failure: after a non-zero exit)`
            : `dockerd's restore tried it (restart: ${policy}) and does not try again a start that failed (a network it shares not up yet)`;
          fail(`${s.name} stays ${status} after the reboot: ${why}; ${unit}, which starts the stack with compose up in its order, is ${enabled}`);
        }
        const before = startedBefore[i]!.get(id.slice(0, 12));
        if (before !== undefined && (await startTimes(t.vm)).get(id.slice(0, 12)) === before) fail(`${s.name} still runs the process it ran before the reboot (started ${before}): the power loss never stopped it`);
        return `restart: ${policy}`;
      });
    }
  }
}

/** A log that files the probes re-run after the reboots under their own kind, each name saying it ran after the reboot. */
export function afterReboot(log: ProbeLog): ProbeLog {
  const after = new ProbeLog();
  after.add = (r: ProbeResult) => log.add({ ...r, name: `after the reboot: ${r.name}` });
  return after;
}
