import type { ProbeLog } from '../probe.js';

/** Every stand-in image carries busybox here, off PATH: the probes' own tools, never the image's. */
export const BUSYBOX = '/standin/busybox';
import { fail } from '../probe.js';
import type { TwinVm } from '../vm.js';
import { uidOf, type StackService } from './stack.js';

/** The id of the container compose made for a service (by compose's own label, v1 and v2 alike). */
export async function containerOf(vm: TwinVm, service: string): Promise<string | undefined> {
  const r = await vm.docker(['ps', '-aq', '--filter', `label=com.docker.compose.service=${service}`]);
  return r.stdout.split('\n').find(Boolean);
}

interface State {
  Status: string;
  Running: boolean;
  ExitCode: number;
  Health?: { Status: string; Log?: { Output: string; ExitCode: number }[] };
}

export async function containerState(vm: TwinVm, id: string): Promise<State> {
  const r = await vm.docker(['inspect', '--format', '{{json .State}}', id]);
  if (r.code !== 0) fail(`docker inspect ${id}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as State;
}

/** How many of one host's container probes run at once (each is a few docker commands against its dockerd). */
export const PROBES_AT_ONCE = 4;

/** Probe 1: every container running, and healthy where it has a healthcheck (the daemon ran the rendered check). */
export async function probeContainers(log: ProbeLog, host: string, vm: TwinVm, stack: readonly StackService[]): Promise<void> {
  await log.inParallel(stack.map((s) => (log) =>
    log.check(host, 'container', `${s.name} is running${s.healthcheck ? ' and healthy' : ''}`, async () => {
      const id = await containerOf(vm, s.name);
      if (!id) fail(`no container for ${s.name}: deploy did not create it`);
      const st = await containerState(vm, id);
      if (!st.Running) fail(`${s.name} is ${st.Status} (exit ${st.ExitCode}): ${(await vm.docker(['logs', '--tail', '5', id])).stderr.trim() || 'no output'}`);
      if (s.healthcheck && st.Health?.Status !== 'healthy') {
        const last = st.Health?.Log?.at(-1);
        const logs = (await vm.docker(['logs', '--tail', '5', id])).stderr.trim();
        fail(`${s.name} is ${st.Health?.Status ?? 'without health'}${last ? `: its healthcheck exited ${last.ExitCode}: ${last.Output.trim().slice(0, 300)}` : ''}${logs ? `\nits last output: ${logs}` : ''}`);
      }
    })), PROBES_AT_ONCE);
}

/** The uid the service's process runs as: what the model says (the service's user or its image's default). */
export type UserOf = (service: string) => string;

/**
 * Probe 2: each secret file is readable by the process that consumes it, as its uid, and by no
 * other service's uid (root aside: it reads everything, and no other root service mounts it).
 */
export async function probeSecrets(log: ProbeLog, host: string, vm: TwinVm, stack: readonly StackService[], readerOf: UserOf, userOf: UserOf): Promise<void> {
  const probes: ((log: ProbeLog) => Promise<unknown>)[] = [];
  for (const s of stack) {
    for (const secret of s.secrets) {
      // Another service's uid: one that no reader of this secret runs as (permissions cannot tell two services of one uid apart).
      const readers = new Set(stack.filter((o) => o.secrets.includes(secret)).flatMap((o) => [uidOf(readerOf(o.name)), uidOf(userOf(o.name))]));
      const uids = [...new Set(stack.flatMap((o) => [uidOf(readerOf(o.name)), uidOf(userOf(o.name))]))].filter((u) => !readers.has(u));
      const user = readerOf(s.name);
      const path = `/run/secrets/${secret}`;
      probes.push((log) => log.check(host, 'secret', `${s.name} reads ${path} as ${user}; no other service's uid can`, async () => {
        const id = await containerOf(vm, s.name);
        if (!id) fail(`no container for ${s.name}`);
        const own = await vm.docker(['exec', '-u', user, id, BUSYBOX, 'cat', path]);
        if (own.code !== 0) fail(`${s.name} (as ${user}) cannot read ${path}: ${own.stderr.trim() || own.stdout.trim()}`);
        for (const other of uids.filter((u) => u !== 0)) {
          const r = await vm.docker(['exec', '-u', `${other}:${other}`, id, BUSYBOX, 'cat', path]);
          if (r.code === 0) fail(`uid ${other} (another service's) can read ${path} of ${s.name}`);
        }
      }));
    }
  }
  await log.inParallel(probes, PROBES_AT_ONCE);
}

/** Probe 3: every read-write volume is writable by the service's uid; every read-only one refuses a write. */
export async function probeVolumes(log: ProbeLog, host: string, vm: TwinVm, stack: readonly StackService[], userOf: UserOf): Promise<void> {
  const probes: ((log: ProbeLog) => Promise<unknown>)[] = [];
  for (const s of stack) {
    for (const v of s.volumes) {
      if (!v.source.startsWith('/mnt/')) continue; // the datasets; the host's own paths (/sys, /var/run) are not the lab's storage
      const user = userOf(s.name);
      probes.push((log) => log.check(host, 'volume', `${s.name} ${v.readOnly ? 'cannot write' : 'writes'} ${v.target} (${v.source}) as ${user}`, async () => {
        const id = await containerOf(vm, s.name);
        if (!id) fail(`no container for ${s.name}`);
        const probe = `${v.target.replace(/\/$/, '')}/.twin-probe-${s.name}`;
        const r = await vm.docker(['exec', '-u', user, id, BUSYBOX, 'sh', '-c', `: > '${probe}' && rm -f '${probe}'`]);
        if (v.readOnly && r.code === 0) fail(`${v.target} is mounted read-only in the model, yet ${user} wrote to it`);
        if (!v.readOnly && r.code !== 0) {
          const owner = await vm.node.exec(['stat', '-c', '%u:%g %a', v.source]);
          fail(`${user} cannot write ${v.target}: ${r.stderr.trim()} (on the VM ${v.source} is ${owner.stdout.trim() || 'missing'})`);
        }
      }));
    }
  }
  await log.inParallel(probes, PROBES_AT_ONCE);
}
