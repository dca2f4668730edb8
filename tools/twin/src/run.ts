import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { daemonsOf, envPrefix, nftablesRuleset, prefixLength, type HostDef, type KeyPair, type Lab, type Machine, type ServiceDef } from '@homelab/kit/internal';
import { makeSshKeys, missingCapabilities, type Workspace } from '@homelab/testing';
import { adminAddresses, spareAddresses } from './proxmox/addresses.js';
import { homelabDeploy, twinDeployEnv } from './deploy.js';
import { homelab, prepareTwinLab, type TwinLab } from './lab.js';
import { execArgv, execSync, makeNetwork, type TwinNetwork, type TwinNode } from './namespaces.js';
import { HEALTH_SECONDS, waitUntil } from './wait.js';
import { makeTwinScratch, TMPFS_ENV } from './scratch.js';
import { healthChainSeconds } from './health-chain.js';
import { UNVERIFIED_FACTS_ENV, unverifiedStandins } from './facts-gate.js';
import { fail, ProbeLog, type TwinReport } from './probe.js';
import { reportComposeStandIns } from './probes/kubernetes.js';
import { probeContainers, probeSecrets, probeVolumes } from './probes/containers.js';
import { probeFirewall, tcpPorts } from './probes/firewall.js';
import { probeFoothold } from './probes/foothold.js';
import { prewarmCache } from './debian/prewarm.js';
import { TEMPLATE_ENTRY } from './lxc/template.js';
import { probeTailnet } from './probes/tailnet.js';
import { probeSpoof } from './probes/spoof.js';
import { ipfilterRuleset, type GuestPort } from './ipfilter.js';
import { probeOneChange, probeUnchanged, snapshotContainers } from './probes/redeploy.js';
import { probeOperate } from './probes/operate.js';
import { probeStartPage } from './probes/start-page.js';
import { afterReboot, probeReboots } from './probes/reboot.js';
import { probeForwardAuth, probeRoutes, probeScrapes } from './probes/routes.js';
import { readStack } from './probes/stack.js';
import { FORGED_NAME, probeForgedCertificate, probeTls, startHttpsEntry } from './probes/tls.js';
import { probeFreshNodePlan, probeGuestCreated } from './proxmox/first-deploy-probes.js';
import { probeBlueprintFiles } from './probes/authentik-files.js';
import { importRealPrometheus } from './real-prometheus.js';
import type { NodeSshd } from './sshd.js';
import { startVm, type TwinVm } from './vm.js';
import { startProxmoxLayer, type ProxmoxLayer } from './proxmox-layer.js';
import { realDaemonBuild, realDaemonOf, realDaemonsNote, realRootEntry } from './standin/index.js';
import { buildStandins, secretUser, serviceUser } from './standins.js';

export interface TwinOptions {
  /** Changes the lab copy before it is built: how the broken variants are made. */
  readonly edit?: (ws: Workspace) => void;
  /**
   * Runs on the Proxmox node once it is deployed, before any guest: how a broken variant leaves a
   * node file as an older release deployed it (deploy refuses a dist/ the lab does not render).
   */
  readonly afterNodeDeploy?: (node: TwinNode) => Promise<void>;
  /** Only these hosts (and the Proxmox node, always); default every host. */
  readonly hosts?: readonly string[];
  /** Skip the redeploy probes (the broken-variant runs). */
  readonly redeploy?: boolean;
  /**
   * Which VMs lose power, boot and are probed again: `true` every VM (`pnpm twin --reboot`), a
   * list those, `false` none. Default: the VMs a reboot can break by start order (rebootByDefault).
   */
  readonly reboot?: boolean | readonly string[];
  /** Runs on the deployed VMs just before the reboot: how broken.twin.test.ts plants a fault only a boot shows. */
  readonly beforeReboot?: (vms: ReadonlyMap<string, TwinVm>) => Promise<void>;
  /** Skip the Proxmox layer's probes (node, containers, storage): the broken variant plants no fault there. */
  readonly proxmoxProbes?: boolean;
  /** Render the (edited) lab without the validator: the broken variants, which the validator would refuse. */
  readonly validate?: boolean;
  /** The lab's CA in place of the one `homelab secret ca-init` makes (a broken variant's: one without name constraints). */
  readonly ca?: KeyPair;
  /** The nftables ruleset a machine gets; default the lab's policy (nftablesRuleset). A broken variant passes a wrong one. */
  readonly firewall?: (lab: Lab, machine: Machine) => string;
  /**
   * Build stand-ins from image facts that are not verified at their image's pinned digest
   * (unverifiedFactsReason), and mark the run unverified in its report. Without it the twin refuses
   * such a lab: its stand-ins would only agree with the facts. Default: HOMELAB_TWIN_UNVERIFIED_FACTS=1.
   */
  readonly unverifiedFacts?: boolean;
  /** Progress lines for a person; default: none. */
  readonly say?: (line: string) => void;
}

/**
 * The VMs the default run reboots: those with a service in another one's network namespace
 * (vm-media's behind gluetun). dockerd alone starts a stack's containers in no order after a power
 * loss, and a service started before its gateway stays down: the boot unit deploy installs must
 * start them in order. `pnpm twin --reboot` reboots every VM (the nightly run).
 */
export function rebootByDefault(vmHosts: readonly { readonly name: string; readonly services: readonly { readonly networkMode?: unknown }[] }[]): string[] {
  return vmHosts.filter((h) => h.services.some((s) => typeof s.networkMode === 'object' && s.networkMode !== null && 'service' in s.networkMode)).map((h) => h.name);
}

interface Twin {
  readonly lab: TwinLab;
  readonly network: TwinNetwork;
  readonly client: TwinNode;
  readonly proxmox: ProxmoxLayer;
  readonly vms: Map<string, TwinVm>;
  env: NodeJS.ProcessEnv;
}

/** What a torn-down twin left behind: its namespaces (named after its id), mounts under its folder, processes naming it. */
function leftovers(id: string, dir: string): string[] {
  const netns = execSync(['ip', 'netns', 'list']).stdout.split('\n').filter((l) => l.startsWith(id));
  const mounts = execSync(['findmnt', '-rn', '-o', 'TARGET']).stdout.split('\n').filter((t) => t === dir || t.startsWith(`${dir}/`));
  const procs = execSync(['pgrep', '-af', dir]).stdout.split('\n').filter((l) => l.trim() !== '' && !l.includes('pgrep'));
  return [...netns.map((n) => `namespace ${n}`), ...mounts.map((m) => `mount ${m}`), ...procs.map((p) => `process ${p}`)];
}

async function loadFirewall(node: TwinNode, ruleset: string): Promise<void> {
  const r = await node.execNet(['nft', '-f', '-'], { input: ruleset });
  if (r.code !== 0) throw new Error(`twin: loading the firewall of ${node.host}: ${r.stderr}`);
}

/** Loads the bridge's ipfilter (ipfilterRuleset) from the node's deployed files; returns the guests it filters. */
async function loadIpfilter(network: TwinNetwork, proxmox: ProxmoxLayer, lab: TwinLab, guests: readonly HostDef[]): Promise<string[]> {
  const node = (lab.loaded.lab.nodes ?? [])[0]!.name;
  const read = async (path: string) => (await proxmox.twin.node.exec(['cat', path])).stdout;
  const ports: GuestPort[] = [];
  for (const g of guests) {
    const n = network.nodes.get(g.name);
    if (!n) continue;
    const kind = g.kind === 'vm' ? 'vm' : 'ct';
    ports.push({ name: g.name, port: n.port, kind, conf: await read(`/etc/pve/nodes/${node}/${kind === 'vm' ? 'qemu-server' : 'lxc'}/${g.vmid}.conf`), fw: await read(`/etc/pve/firewall/${g.vmid}.fw`) });
  }
  const { ruleset, filtered } = ipfilterRuleset(await read('/etc/pve/firewall/cluster.fw'), ports);
  const r = await execArgv(['ip', 'netns', 'exec', network.bridgeNetns, 'nft', '-f', '-'], { input: ruleset });
  if (r.code !== 0) throw new Error(`twin: loading the bridge's ipfilter: ${r.stderr}`);
  return filtered;
}

/** What listens in the lab but does not run in the twin (no package here): Proxmox's web UI (pveproxy), the kernel's NFS server, Tailscale. */
const ABSENT_IN_TWIN: ReadonlySet<string> = new Set(['proxmox', 'proxmox-api', 'nfs', 'tailscale']);


function distOf(lab: TwinLab, host: string): string {
  return join(lab.loaded.hostDirs.get(host) ?? lab.ws.path('packages', host), 'dist');
}

/** The role's one service in the lab (the proxy, the metrics store), with its host. */
function roleService(lab: TwinLab, role: ServiceDef['role']): { host: HostDef; service: ServiceDef } | undefined {
  for (const host of lab.loaded.lab.hosts) for (const service of host.services) if (service.role === role) return { host, service };
  return undefined;
}

const teardowns = new Set<() => Promise<void>>();
let trapped = false;

/** Ctrl-C or a kill while the twin is up still tears it down: no namespace, process, mount or pool left. */
function trapSignals(): void {
  if (trapped) return;
  trapped = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...teardowns].map((t) => t())).then(() => process.exit(130));
    });
  }
}

async function deployProbe(log: ProbeLog, twin: Twin, host: string, say?: (line: string) => void): Promise<boolean> {
  const began = Date.now();
  const r = await log.check(host, 'deploy', `homelab deploy ${host}`, async () => {
    const out = await homelabDeploy(twin.client, twin.lab, host, twin.env);
    if (out.code !== 0) throw new Error(`exit ${out.code}: ${(out.stderr || out.stdout).trim().split('\n').slice(-12).join('\n')}`);
  });
  say?.(`deploy ${host}: ${r.ok ? 'done' : 'failed'} in ${Math.round((Date.now() - began) / 1000)} s`);
  return r.ok;
}

/**
 * Brings the lab up in network namespaces, deploys every host with `homelab deploy` from the LAN
 * client, probes every declared edge, and tears everything down (also on failure and on signals).
 */
export async function runTwin(options: TwinOptions = {}): Promise<TwinReport> {
  const started = Date.now();
  // Each step says when it started (seconds since the twin began), so a slow phase shows in the log.
  const say = (line: string): void => options.say?.(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);
  const log = new ProbeLog();
  const notes: string[] = [];
  const unverified: string[] = [];
  say('building the lab copy and its test secret store');
  const lab = await prepareTwinLab(options.edit, { ...(options.validate === false ? { validate: false } : {}), ...(options.ca ? { ca: options.ca } : {}) });
  const scratch = makeTwinScratch('homelab-twin-');
  const dir = scratch.dir;
  const plan = lab.loaded.lab.facts.network;
  const network = makeNetwork(`hl${randomBytes(3).toString('hex')}`, prefixLength(plan), dir);
  let proxmox: ProxmoxLayer | undefined;
  const vms = new Map<string, TwinVm>();
  const teardown = async () => {
    // Each VM's dockerd removes its own containers: side by side, as their VMs would shut down.
    await Promise.allSettled([...vms.values()].map((vm) => vm.stop()));
    await proxmox?.teardown();
    network.teardown();
    scratch.remove();
    lab.ws.remove();
  };
  teardowns.add(teardown);
  trapSignals();
  try {
    // The stand-ins are built from the services' image facts: facts not verified at the pinned
    // digest make a twin that agrees with them by construction (docs/images.md).
    unverified.push(...unverifiedStandins(lab.loaded.lab.hosts, options.hosts, options.unverifiedFacts ?? process.env[UNVERIFIED_FACTS_ENV] === '1'));
    if (scratch.inMemory) notes.push(`disk: the twin's files (the pools' vdev files, the containers' root file systems, each VM's Docker layers) are on a tmpfs of their own, so a guest's fsync waits on no other guest's (${TMPFS_ENV}=0: on the machine's disk)`);
    makeSshKeys(join(dir, 'keys'));
    const authorizedKeys = join(dir, 'keys', 'authorized_keys');
    // The client deploys, so it stands at the plan's first admin device (the CI runner): SSH and
    // 8006 are open from the admin devices only. A plan without admins keeps a spare address.
    const [spareClient, offsiteAddress] = spareAddresses(plan, 2);
    const clientAddress = adminAddresses(plan)[0] ?? spareClient;
    const client = network.addNode('client', clientAddress!);
    // On a fresh machine: the Debian roots the node's containers and the VMs' real daemons start
    // from, made side by side before anything asks for them one at a time.
    const daemons = lab.loaded.lab.hosts.filter((h) => h.kind === 'vm' && (!options.hosts || options.hosts.includes(h.name))).flatMap((h) => h.services.flatMap((sv) => realDaemonOf(sv.image) ?? []));
    const made = await prewarmCache([TEMPLATE_ENTRY, ...daemons.map(realRootEntry)]);
    if (made.length > 0) say(`made the twin's cache entries side by side: ${made.join(', ')}`);
    say(`LAN client at ${clientAddress}; starting the Proxmox node`);
    proxmox = await startProxmoxLayer({ network, lab, authorizedKeys, offsiteAddress: offsiteAddress! });
    const sshds: NodeSshd[] = [proxmox.sshd];
    const wanted = (h: string) => !options.hosts || options.hosts.includes(h);
    const vmHosts = lab.loaded.lab.hosts.filter((h) => h.kind === 'vm' && wanted(h.name));
    const lxcHosts = lab.loaded.lab.hosts.filter((h) => h.kind === 'lxc' && wanted(h.name));
    const extra: Record<string, string> = {};
    for (const h of vmHosts) {
      extra[`${envPrefix(h.name)}COMPOSE`] = 'docker-compose';
      extra[`${envPrefix(h.name)}HEALTH_TIMEOUT`] = String(HEALTH_SECONDS);
    }
    const withheld = missingCapabilities();
    if (withheld.length > 0) notes.push(`container: this machine withholds ${withheld.join(', ')}; privileged containers run with every other capability (a runc wrapper drops only those)`);
    const twin: Twin = { lab, network, client, proxmox, vms, env: twinDeployEnv(lab, join(dir, 'keys', 'client_key'), sshds, extra) };
    // The fresh node as its owner meets it: plan first (reading only), then deploy.
    if (options.proxmoxProbes !== false) for (const node of lab.loaded.lab.nodes ?? []) await probeFreshNodePlan(log, client, lab, proxmox.twin, node, twin.env);
    for (const node of lab.loaded.lab.nodes ?? []) {
      say(`deploy ${node.name}`);
      await deployProbe(log, twin, node.name, say);
    }
    await options.afterNodeDeploy?.(proxmox.twin.node);
    const directoryCfg = readFileSync(join(distOf(lab, (lab.loaded.lab.nodes ?? [])[0]!.name), 'directory.cfg'), 'utf8');
    const metrics = roleService(lab, 'metrics-store');
    const firewallOf = (m: Machine) => (options.firewall ?? nftablesRuleset)(lab.loaded.lab, m);
    const key = join(dir, 'keys', 'client_key');
    // The guests come up side by side, as a node's guests do, each on a path of its own:
    // - the containers deploy (each deploy holds its own lock on the node; most of one is its
    //   container's apt-get and daemon starts), then the node's and the containers' firewalls load;
    // - each VM boots (sshd and dockerd in its namespaces), gets its images, its firewall, and
    //   deploys (most of a VM's deploy is its health wait: the containers' start periods).
    // No VM's deploy reads anything a container serves, so one after the other would only add up.
    const layer = options.proxmoxProbes !== false ? proxmox : undefined;
    const nodeName = proxmox.twin.host.name;
    // The node's reboot takes only the node and its containers down (the twin's VMs are not its
    // reboot's to stop), so it comes right after they are deployed and serve, beside the VMs' deploys.
    const containers = async (into: ProbeLog) => {
      if (lxcHosts.length > 0) say(`deploy ${lxcHosts.map((h) => h.name).join(', ')}, side by side`);
      await into.inParallel(lxcHosts.map((h) => (l) => deployProbe(l, twin, h.name, say)));
      for (const m of [...(lab.loaded.lab.nodes ?? []), ...lxcHosts].filter((x) => network.nodes.has(x.name))) await loadFirewall(network.nodes.get(m.name)!, firewallOf(m));
      if (!layer) return;
      say('probe DNS and the shares, then reboot the Proxmox node (its containers with it)');
      await into.check(nodeName, 'reboot', 'the Proxmox node\'s reboot probes ran to the end', async () => {
        await layer.probeServices(into, client);
        await layer.probeReboot(into);
      });
    };
    // The images are imported one VM at a time, the VM whose deploy waits longest for health
    // first (healthChainSeconds): on two cores, imports side by side only finish all at once late.
    // Each VM's turn opens when the one before it has imported (or failed to boot).
    const byHealthChain = [...vmHosts].sort((a, b) => healthChainSeconds(distOf(lab, b.name)) - healthChainSeconds(distOf(lab, a.name)) || a.name.localeCompare(b.name));
    let queue: Promise<void> = Promise.resolve();
    const turns = byHealthChain.map(() => {
      let open!: () => void;
      const done = new Promise<void>((resolve) => (open = resolve));
      const turn = { after: queue, open };
      queue = done;
      return turn;
    });
    // The VM whose turn to import comes last is first deployed before it exists (deploy creates
    // it through the node and says to deploy again), while the others import.
    const createdFirst = layer ? byHealthChain.at(-1)?.name : undefined;
    const vmPath = (h: HostDef, turn: (typeof turns)[number]) => async (into: ProbeLog) => {
      let vm: TwinVm;
      if (h.name === createdFirst) {
        say(`deploy ${h.name} before it exists: the node creates it`);
        await probeGuestCreated(into, client, lab, proxmox!.twin, h as HostDef & { vmid: number }, twin.env);
      }
      try {
        say(`boot ${h.name} (sshd and dockerd in its namespaces) and import its stand-in images`);
        vm = await startVm(network, { host: h.name, address: h.address, distDir: distOf(lab, h.name), vmid: h.vmid, directoryCfg, nodePathOnMachine: proxmox!.nodePathOnMachine, authorizedKeys });
        vms.set(h.name, vm);
        sshds.push(vm.sshd);
        await turn.after;
        await buildStandins(vm, h, join(dir, 'standins', h.name));
        if (metrics?.host.name === h.name) await importRealPrometheus(vm, metrics.service.image, join(dir, 'standins', `${h.name}-prometheus`));
      } finally {
        turn.open();
      }
      await loadFirewall(vm.node, firewallOf(h));
      say(`deploy ${h.name}`);
      await deployProbe(into, { ...twin, env: twinDeployEnv(lab, key, [proxmox!.sshd, vm.sshd], extra) }, h.name, say);
    };
    await log.inParallel([containers, ...byHealthChain.map((h, i) => vmPath(h, turns[i]!))]);
    const real = realDaemonsNote(vmHosts);
    if (real) notes.push(`container: ${real}; every other image is a stand-in (docs/twin-standins.md); building their images took ${Math.round(realDaemonBuild.ms / 1000)} s`);
    if (metrics && vms.has(metrics.host.name)) notes.push(`scrape: ${metrics.service.name}'s image is Debian's real prometheus binary; it reads the rendered prometheus.yml`);
    twin.env = twinDeployEnv(lab, key, sshds, extra);
    const machines = [...(lab.loaded.lab.nodes ?? []), ...lab.loaded.lab.hosts].filter((m) => network.nodes.has(m.name));
    say('load pve-firewall\'s ipfilter into the bridge, from the deployed firewall files and guest configs');
    const ipfiltered = await loadIpfilter(network, proxmox, lab, [...lxcHosts, ...vmHosts]);
    notes.push(`firewall: ipfilter (a guest may send only from its own addresses) on ${ipfiltered.join(', ') || 'no guest'}, read from the node's /etc/pve as deployed`);
    reportComposeStandIns(log, notes, lab.loaded.composeStandIns ?? []);
    if (roleService(lab, 'start-page')) notes.push("route: the start page's image is a stand-in answering as Homepage 1.12.3 does from its mounted configuration (standin/homepage.ts): it refuses an /api call whose Host is not allowed (400), exits when a request finds a config file missing from its read-only folder, answers 500 when its log file cannot be made there, and lists nothing when a widget key's file cannot be read; it makes no widget API call (the probe connects to each widget's URL instead)");
    const proxy = roleService(lab, 'reverse-proxy');
    // The probes a VM's reboot must leave passing: each stack's containers, secrets and volumes (the
    // VMs side by side), then the proxy's routes and forward auth, the scrapes.
    const probeStacks = async (into: ProbeLog, hosts = vmHosts) => {
      say(`probe ${hosts.map((h) => h.name).join(', ')}: containers, secrets and volumes, side by side`);
      await into.inParallel(hosts.map((h) => async (l) => {
        const vm = vms.get(h.name)!;
        const stack = readStack(distOf(lab, h.name));
        const userOf = (name: string) => serviceUser(h.services.find((s) => s.name === name));
        const readerOf = (name: string) => secretUser(h.services.find((s) => s.name === name));
        await probeContainers(l, h.name, vm, stack);
        await probeSecrets(l, h.name, vm, stack, readerOf, userOf);
        await probeBlueprintFiles(l, h, vm, distOf(lab, h.name), readerOf);
        await probeVolumes(l, h.name, vm, stack, userOf);
      }));
    };
    // A route's backend runs where its URL's address is, or beside the proxy (a container name).
    const backendHost = (url: string) => vmHosts.find((h) => h.address === new URL(url).hostname)?.name ?? proxy?.host.name;
    // Every edge, or (after a reboot) the routes to what the rebooted hosts run, and forward auth
    // only when the proxy's own host was rebooted (Traefik and the outpost are both there).
    const probeEdges = async (into: ProbeLog, hosts = vmHosts) => {
      const on = new Set(hosts.map((h) => h.name));
      say(hosts === vmHosts ? 'probe the routes, forward auth and the scrapes' : `probe the routes to ${[...on].join(', ')} and the scrapes`);
      if (proxy && vms.has(proxy.host.name)) {
        const vm = vms.get(proxy.host.name)!;
        const dist = distOf(lab, proxy.host.name);
        await into.inParallel([
          (l) => probeRoutes(l, proxy.host.name, vm, proxy.service.name, dist, (url) => on.has(backendHost(url) ?? '')),
          async (l) => {
            if (on.has(proxy.host.name)) await probeForwardAuth(l, lab.loaded.lab, proxy.host.name, vm, proxy.service.name, dist);
          },
          async (l) => {
            const page = roleService(lab, 'start-page');
            if (page?.service.route && on.has(page.host.name) && vms.has(page.host.name)) await probeStartPage(l, lab.loaded.lab, page.host.name, vms.get(page.host.name)!, page.service.name, page.service.route);
          },
        ]);
      }
      if (metrics && vms.has(metrics.host.name)) await probeScrapes(into, metrics.host.name, vms.get(metrics.host.name)!, metrics.service.name);
    };
    const probeVms = async (into: ProbeLog, hosts = vmHosts) => {
      await probeStacks(into, hosts);
      await probeEdges(into, hosts);
    };
    const probeNetwork = async (into: ProbeLog) => {
      if (!proxy || !vms.has(proxy.host.name)) return;
      say('probe the firewall, spoofing and TLS');
      const stacks = new Map(vmHosts.map((h) => [h.name, readStack(distOf(lab, h.name))] as const));
      // Side by side (their dropped connections each wait the connect bound): the policy's own
      // probe; a foothold in a container of each other VM, judged by the threat model; a member's
      // device on the tailnet behind the subnet router, judged by the model's grants. Their notes
      // in a fixed order.
      const ports = tcpPorts(lab.loaded.lab, stacks, new Set(machines.map((m) => m.name)), ABSENT_IN_TWIN);
      const footholds = vmHosts.filter((h) => h.name !== proxy.host.name && vms.has(h.name));
      const router = lxcHosts.find((h) => daemonsOf(h, 'tailscale').length > 0 && network.nodes.has(h.name));
      const said: (string | undefined)[][] = [[], [], []];
      await into.inParallel([
        (l: ProbeLog) => probeFirewall(l, lab.loaded.lab, client, vms.get(proxy.host.name)!.node, stacks, new Set(machines.map((m) => m.name)), ABSENT_IN_TWIN, said[0] as string[]),
        ...footholds.map((h, i) => async (l: ProbeLog) => {
          said[1]![i] = await probeFoothold(l, h, vms.get(h.name)!, stacks.get(h.name) ?? [], ports);
        }),
        async (l: ProbeLog) => {
          if (router) said[2]![0] = await probeTailnet(l, network, network.nodes.get(router.name)!, router, distOf(lab, router.name), ports);
        },
      ]);
      notes.push(...said.flat().filter((n): n is string => n !== undefined));
      // Root on another guest posing as the proxy's host (the address every backend trusts); alone,
      // since it adds that address to the attacker's NIC.
      const attacker = vmHosts.find((h) => h.name !== proxy.host.name);
      if (attacker) await probeSpoof(into, lab.loaded.lab, network.nodes.get(attacker.name)!, network.nodes.get(proxy.host.name)!, network.nodes, notes);
      const entry = await startHttpsEntry(client, vms.get(proxy.host.name)!, proxy.service.name, distOf(lab, proxy.host.name), lab.ca);
      notes.push(`tls: the lab's certificate (Traefik's files, as tls.yaml names them) is served by openssl s_server on the LAN client's ${entry.address}:443, since Traefik's stand-in answers plain HTTP; each VM's trust store is what its vendor data's ca_certs makes of Debian's bundle (cloud-init 22.4.2's cc_ca_certs); on :8443 a certificate the lab's CA signs for ${FORGED_NAME}, which each VM must refuse`);
      try {
        for (const h of vmHosts) {
          await probeTls(into, lab.loaded.lab, h, vms.get(h.name)!, entry, distOf(lab, h.name));
          await probeForgedCertificate(into, h, vms.get(h.name)!, entry);
        }
      } finally {
        await entry.stop();
      }
    };
    // The stacks first: the storage probes' restore drill rolls a service dataset back, which a
    // volume probe's write must not meet. Then the VMs' edges and the network beside the Proxmox
    // layer's probes after its reboot (DNS, shares, storage: the node and its containers, which no
    // VM probe touches).
    await probeStacks(log);
    await log.inParallel([
      async (l) => {
        await probeEdges(l);
        await probeNetwork(l);
      },
      async (l) => {
        if (!layer) return;
        say('probe DNS and the shares again, the node and the storage');
        await l.check(nodeName, 'storage', 'the Proxmox layer\'s probes ran to the end', async () => {
          await layer.probeServices(l, client, 'after the reboot');
          await layer.probeStorage(l);
        });
      },
    ]);
    say('homelab ps over every host, and a restart of a container\'s daemon through its node');
    await probeOperate(log, twin, [...lxcHosts, ...(layer ? lab.loaded.lab.nodes ?? [] : []), ...vmHosts].map((h) => h.name), lxcHosts[0]?.name);
    const rebooted = options.reboot === true ? vmHosts : options.reboot === false ? [] : vmHosts.filter((h) => (Array.isArray(options.reboot) ? options.reboot : rebootByDefault(vmHosts)).includes(h.name));
    // The rebooted VMs' power loss and their probes run again beside the second deploys of every
    // other host (one at a time, probeUnchanged says why; a no-op deploy changes no container the
    // reboot's probes read); then the rebooted VMs are deployed again too: after a power loss a
    // deploy must change nothing either.
    const redeploy = options.redeploy !== false;
    const rebootedNames = new Set(rebooted.map((h) => h.name));
    const everyHost = [...lxcHosts, ...(lab.loaded.lab.nodes ?? []), ...vmHosts].map((h) => h.name);
    if (redeploy) say(`redeploy every host${rebooted.length > 0 ? ` (${[...rebootedNames].join(', ')} after its reboot)` : ''}: nothing may change; then one service changed`);
    await log.inParallel([
      async (into) => {
        if (rebooted.length === 0) return;
        say(`reboot ${rebooted.map((h) => h.name).join(', ')} at once (power loss, then boot: enabled mounts, sshd, dockerd and its restart policies), then probe them again`);
        const rebootStarted = Date.now();
        await options.beforeReboot?.(vms);
        await probeReboots(into, rebooted.map((h) => ({ host: h.name, vm: vms.get(h.name)!, stack: readStack(distOf(lab, h.name)) })), HEALTH_SECONDS);
        await probeVms(afterReboot(into), rebooted);
        notes.push(`reboot: ${rebooted.map((h) => h.name).join(', ')} lose power (SIGKILL to every process of each: dockerd, containerd, the shims, the containers, sshd; /run and its dataset mounts gone) and boot: the mount units its vendor data enables, sshd, dockerd, which alone starts the containers by their restart policy; the firewall and the trust store are the VM's disk and stay (${Math.round((Date.now() - rebootStarted) / 1000)} s for the reboots and the probes run again)`);
      },
      async (into) => {
        if (redeploy) await probeUnchanged(into, twin, everyHost.filter((h) => !rebootedNames.has(h)));
      },
    ]);
    if (redeploy && rebooted.length > 0) await probeUnchanged(log, twin, [...rebootedNames]);
    if (layer) notes.push(...layer.notes());
    if (redeploy) await probeOneChange(log, twin, vmHosts[0]?.name);
    return { probes: log.results, notes, proxmoxCalls: proxmox.calls(), seconds: Math.round((Date.now() - started) / 1000), unverifiedFacts: unverified };
  } catch (e) {
    // A twin that could not finish still reports what it probed, and why it stopped, as a failed probe.
    log.add({ host: 'twin', kind: 'deploy', name: 'the twin came up and ran every probe', ok: false, detail: e instanceof Error ? e.message : String(e) });
    return { probes: log.results, notes, proxmoxCalls: proxmox?.calls() ?? [], seconds: Math.round((Date.now() - started) / 1000), unverifiedFacts: unverified };
  } finally {
    say('tear down');
    await teardown();
    teardowns.delete(teardown);
    await log.check('twin', 'deploy', 'tears down: no namespace, mount or process of this twin remains', async () => {
      // SIGKILLed processes may take a moment to go on a loaded machine: the twin's usual bound.
      await waitUntil('the twin\'s namespaces, mounts and processes to go', () => leftovers(network.id, dir).length === 0).catch(() => undefined);
      const left = leftovers(network.id, dir);
      if (left.length > 0) fail(`left behind: ${left.join('; ')}`);
      return `no namespace ${network.id}*, no mount under ${dir}, no process naming it`;
    });
  }
}

export { homelab, snapshotContainers };
export type { Twin };
