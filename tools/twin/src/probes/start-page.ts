import { routeNames, startPageEntries, type Lab } from '@homelab/kit/internal';
import { execArgv } from '../namespaces.js';
import { fail, type ProbeLog } from '../probe.js';
import type { TwinVm } from '../vm.js';
import { BUSYBOX, containerOf } from './containers.js';
import { connectAllIn } from './firewall.js';

interface ListedGroup {
  readonly name: string;
  readonly services: readonly { readonly name: string; readonly href?: string; readonly widget?: { readonly type: string } }[];
}

/** A name a container resolves through Docker's DNS: its first address on a network `from` is on too. */
async function addressOf(vm: TwinVm, from: string, name: string): Promise<string> {
  const target = await containerOf(vm, name);
  if (!target) fail(`no container of ${name} to resolve its name`);
  const nets = async (id: string) => JSON.parse((await vm.docker(['inspect', '--format', '{{json .NetworkSettings.Networks}}', id])).stdout) as Record<string, { IPAddress: string }>;
  const mine = await nets(from);
  const theirs = await nets(target);
  const shared = Object.keys(theirs).find((n) => n in mine && theirs[n]!.IPAddress);
  if (!shared) fail(`${name} shares no network with the start page`);
  return theirs[shared]!.IPAddress;
}

/**
 * The start page, asked as the browser's page load asks it through the proxy (the Host header
 * Traefik passes on, each name of its route): `/`, `/api/validate`, `/api/hash` and
 * `/api/services` answer, the container keeps running, and the services listed are every route
 * of the lab but its own, each in its machine's group with its widget's type. A Host the start
 * page does not allow must be refused (400), or the check proves nothing. Then each widget's URL
 * is connected to from the start page's own network namespace: the widget's API call would reach
 * the service through the lab's firewall.
 */
export async function probeStartPage(log: ProbeLog, lab: Lab, host: string, vm: TwinVm, service: string, route: { host: string; port: number }): Promise<void> {
  const id = await containerOf(vm, service);
  const get = async (name: string, path: string) => {
    if (!id) fail(`${service} has no container on ${host}`);
    const r = await vm.docker(['exec', id, BUSYBOX, 'wget', '-S', '-q', '-O', '-', '--header', `Host: ${name}`, `http://127.0.0.1:${route.port}${path}`]);
    const status = /HTTP\/1\.[01] (\d{3})/.exec(r.stderr)?.[1] ?? (r.stderr.trim() || `exit ${r.code}`);
    return { status, body: r.stdout };
  };
  const names = routeNames(lab, route);
  await log.check(host, 'route', `${service}: the page loads (/, /api/validate, /api/hash) as ${names[0]} and ${service} keeps running`, async () => {
    const restarts = async () => (await vm.docker(['inspect', '--format', '{{.RestartCount}} {{.State.StartedAt}}', id!])).stdout.trim();
    const before = id ? await restarts() : '';
    for (const path of ['/', '/api/validate', '/api/hash']) {
      const r = await get(names[0]!, path);
      if (r.status !== '200') fail(`${path} answered ${r.status}`);
    }
    const running = (await vm.docker(['inspect', '--format', '{{.State.Running}}', id!])).stdout.trim();
    if (running !== 'true' || (await restarts()) !== before) fail(`${service} is no longer running after the page load: ${(await vm.docker(['logs', '--tail', '5', id!])).stderr.trim()}`);
  });
  const wanted = startPageEntries(lab);
  for (const name of names) {
    await log.check(host, 'route', `${service} as ${name}: lists every route of the lab (${wanted.length}), by machine, with its widget`, async () => {
      const r = await get(name, '/api/services');
      if (r.status !== '200') fail(`/api/services answered ${r.status}`);
      const listed = JSON.parse(r.body) as ListedGroup[];
      const problems: string[] = [];
      for (const e of wanted) {
        const s = listed.find((g) => g.name === e.group)?.services.find((x) => x.name === e.name);
        if (!s) problems.push(`${e.name} (${e.href}) is not listed under ${e.group}`);
        else if (s.href !== e.href) problems.push(`${e.name} links to ${s.href}, not ${e.href}`);
        else if (e.widget && s.widget?.type !== e.widget.type) problems.push(`${e.name} has no ${e.widget.type} widget`);
      }
      for (const g of listed) for (const x of g.services) if (!wanted.some((e) => e.group === g.name && e.name === x.name)) problems.push(`${x.name} is listed under ${g.name}, which no route of the lab gives`);
      if (problems.length > 0) fail(problems.join('; '));
      return `${wanted.length} routes listed`;
    });
  }
  await log.check(host, 'route', `${service}: a Host it does not allow is refused (400), as Homepage's middleware refuses it`, async () => {
    const r = await get(`not-${names[0]}`, '/api/services');
    if (r.status !== '400') fail(`/api/services with Host not-${names[0]} answered ${r.status}: the start page's Host check lets anything through`);
  });
  const widgets = wanted.filter((e) => e.widget?.url);
  if (widgets.length === 0) return;
  await log.check(host, 'route', `${service}: every widget's URL is reached from its network namespace (${widgets.map((e) => e.name).join(', ')})`, async () => {
    if (!id) fail(`${service} has no container on ${host}`);
    const pid = (await vm.docker(['inspect', '--format', '{{.State.Pid}}', id])).stdout.trim();
    if (!/^[1-9]\d*$/.test(pid)) fail(`${service} is not running`);
    const targets = new Map<string, string>();
    for (const e of widgets) {
      const url = new URL(e.widget!.url!);
      const address = /^[\d.]+$/.test(url.hostname) ? url.hostname : await addressOf(vm, id, url.hostname);
      targets.set(`${address}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`, e.name);
    }
    const reach = await connectAllIn((argv) => execArgv(['nsenter', `--net=/proc/${pid}/ns/net`, '--', ...argv]), `the ${service} container`, [...targets.keys()]);
    const blocked = [...targets].filter(([t]) => reach[t] !== 'open').map(([t, name]) => `${name}'s widget at ${t}: ${reach[t] ?? 'not tried'}`);
    if (blocked.length > 0) fail(blocked.join('; '));
  });
}
