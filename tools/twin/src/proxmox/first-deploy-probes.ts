import { envPrefix, isLxcHost, type HostDef, type Machine } from '@homelab/kit/internal';
import { homelabDeploy } from '../deploy.js';
import { HOMELAB_CLI, type TwinLab } from '../lab.js';
import type { TwinNode } from '../namespaces.js';
import { fail, type ProbeLog } from '../probe.js';
import type { ProxmoxTwin } from './node.js';

/**
 * What a first deploy meets on a fresh Proxmox node, before anything of the lab is there:
 * `homelab plan` of the node says what is missing and the commands deploy will run for it,
 * reading only (the node's calls: `pvesm path` alone); and a VM's deploy while the VM does not
 * exist creates it through the node (qm create, qm start) and says to deploy again.
 */
export async function probeFreshNodePlan(log: ProbeLog, client: TwinNode, lab: TwinLab, pve: ProxmoxTwin, node: Machine, env: NodeJS.ProcessEnv): Promise<void> {
  await log.check(node.name, 'deploy', `plan ${node.name} on the fresh node lists what it lacks and what deploy will run for it, and changes nothing`, async () => {
    const before = pve.calls().length;
    const r = await client.exec([process.execPath, HOMELAB_CLI, 'plan', node.name], { cwd: lab.ws.root, env, timeoutMs: 300_000 });
    if (r.code !== 0) fail(`exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-6).join('\n')}`);
    const wanted: string[] = [];
    for (const t of new Set(lab.loaded.lab.hosts.filter(isLxcHost).map((h) => h.ostemplate))) {
      wanted.push(`missing   container template ${t}`, `$ pveam update && pveam download local ${t.split('/').pop()}`);
    }
    wanted.push('missing   the folder of directory mappings /etc/pve/mapping');
    // Each package the fresh node lacks is listed with the apt-get deploy runs for it.
    const packages = [...r.stdout.matchAll(/^\s*missing\s+([a-z0-9][a-z0-9.+-]*) \(/gm)].map((m) => m[1]!);
    for (const p of packages) wanted.push(`$ DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${p}`);
    const absent = wanted.filter((w) => !r.stdout.includes(w));
    if (absent.length > 0) fail(`plan does not say: ${absent.join('; ')}\n${r.stdout.trim().split('\n').slice(0, 30).join('\n')}`);
    const wrote = pve.calls().slice(before).filter((l) => !l.startsWith('pvesm path '));
    if (wrote.length > 0) fail(`plan called the node for more than reading: ${wrote.join('; ')}`);
    return `missing packages: ${packages.join(', ') || 'none'}`;
  });
}

/**
 * `homelab deploy <vm>` while the VM does not exist and nothing answers at its address: deploy
 * creates it through the node (qm create with its cloud-init keys and a vmgenid, qm start) and
 * exits saying to deploy again (`[guest-created]`). The runner then boots the VM's namespace and
 * deploys it again, as its owner would.
 */
export async function probeGuestCreated(log: ProbeLog, client: TwinNode, lab: TwinLab, pve: ProxmoxTwin, vm: HostDef & { readonly vmid: number }, env: NodeJS.ProcessEnv): Promise<void> {
  await log.check(vm.name, 'deploy', `deploy of ${vm.name} before it exists creates it through the node (qm create, qm start) and says to deploy again`, async () => {
    // Any pinned key: nothing answers at the VM's address yet.
    const vmEnv = { ...env, HOMELAB_DEPLOY_ALLOWED_ADDRESSES: `${env.HOMELAB_DEPLOY_ALLOWED_ADDRESSES},${vm.address}`, [`${envPrefix(vm.name)}HOSTKEY`]: pve.sshd.hostKey };
    const r = await homelabDeploy(client, lab, vm.name, vmEnv);
    if (!(r.stdout + r.stderr).includes('[guest-created]')) fail(`exit ${r.code}, no [guest-created]: ${(r.stderr || r.stdout).trim().split('\n').slice(-6).join('\n')}`);
    const calls = pve.calls();
    if (!calls.some((l) => l.startsWith(`qm create ${vm.vmid} --name ${vm.name} `))) fail(`no qm create ${vm.vmid} among the node's calls`);
    if (!calls.includes(`qm start ${vm.vmid}`)) fail(`no qm start ${vm.vmid} among the node's calls`);
    const status = await pve.node.exec(['qm', 'status', String(vm.vmid)]);
    if (status.stdout.trim() !== 'status: running') fail(`qm status ${vm.vmid}: ${status.stdout.trim() || status.stderr.trim()}`);
    const conf = await pve.node.exec(['cat', `/etc/pve/nodes/${pve.host.node}/qemu-server/${vm.vmid}.conf`]);
    if (!/^sshkeys: \S+$/m.test(conf.stdout) || !/^vmgenid: /m.test(conf.stdout)) fail(`${vm.vmid}.conf lacks sshkeys or vmgenid:\n${conf.stdout}`);
  });
}
