import { existsSync } from 'node:fs';
import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import { homelabDeploy } from '../deploy.js';
import { homelab } from '../lab.js';
import type { Twin } from '../run.js';
import type { TwinVm } from '../vm.js';

/** Each compose service's container id and start time: what "recreated" is judged by. */
export async function snapshotContainers(vm: TwinVm): Promise<Map<string, string>> {
  const r = await vm.docker(['ps', '-a', '--format', '{{.Label "com.docker.compose.service"}} {{.ID}}']);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [service, id] = line.split(' ');
    const started = (await vm.docker(['inspect', '--format', '{{.State.StartedAt}}', id!])).stdout.trim();
    out.set(service!, `${id} ${started}`);
  }
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((s) => before.get(s) !== after.get(s)).sort();
}

/** The label the one-service change adds, in the first service of the host with a file of its own, no labels and its own network. */
export const CHANGED_SERVICE_LABEL = 'twin.probe';

/**
 * Probe 9, first half: a second deploy of each host changes nothing (0 containers recreated). One
 * host after the other: eight deploys at once beside the other tiers on two cores starved the
 * containers' own healthchecks (three 5 s timeouts in a row: unhealthy), and a deploy that finds a
 * container unhealthy fails (seen in .ci/run). A redeploy that changes nothing is short.
 */
export async function probeUnchanged(log: ProbeLog, twin: Twin, hosts: readonly string[]): Promise<void> {
  await log.inParallel(hosts.map((host) => async (log) => {
    const vm = twin.vms.get(host);
    const before = vm ? await snapshotContainers(vm) : undefined;
    await log.check(host, 'redeploy', `a second deploy of ${host} changes nothing`, async () => {
      const r = await homelabDeploy(twin.client, twin.lab, host, twin.env);
      if (r.code !== 0) fail(`exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n')}`);
      if (!/nothing to do/i.test(r.stdout + r.stderr)) fail(`the second deploy did something:\n${(r.stdout + r.stderr).trim().split('\n').slice(-8).join('\n')}`);
      if (vm && before) {
        const moved = changed(before, await snapshotContainers(vm));
        if (moved.length > 0) fail(`containers recreated: ${moved.join(', ')}`);
      }
      return vm ? `0 of ${before!.size} containers recreated` : undefined;
    });
  }), 1);
}

/** Probe 9, second half: a change to one service of a VM host (a label added in its file, the lab rebuilt) recreates exactly that container. */
export async function probeOneChange(log: ProbeLog, twin: Twin, host: string | undefined): Promise<void> {
  const vm = host ? twin.vms.get(host) : undefined;
  if (!host || !vm) return;
  const fileOf = (name: string) => `packages/${host}/src/services/${name}.ts`;
  const target = twin.lab.loaded.lab.hosts
    .find((h) => h.name === host)!
    .services.find((s) => !s.labels && typeof s.networkMode !== 'object' && existsSync(twin.lab.ws.path(fileOf(s.name))));
  if (!target) return;
  await log.check(host, 'redeploy', `changing ${target.name} alone recreates exactly its container`, async () => {
    const before = await snapshotContainers(vm);
    const file = fileOf(target.name);
    twin.lab.ws.edit(file, `name: '${target.name}',`, `name: '${target.name}',\n  labels: { '${CHANGED_SERVICE_LABEL}': 'changed' },`);
    const built = await homelab(twin.lab.ws, ['build']);
    if (built.code !== 0) fail(`rebuilding after the change failed: ${built.stdout}${built.stderr}`);
    const r = await homelabDeploy(twin.client, twin.lab, host, twin.env);
    if (r.code !== 0) fail(`exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n')}`);
    const moved = changed(before, await snapshotContainers(vm));
    if (moved.join() !== target.name) fail(`recreated [${moved.join(', ')}], expected exactly [${target.name}]`);
  });
}
