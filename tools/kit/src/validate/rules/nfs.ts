import ipaddr from 'ipaddr.js';
import { daemonsOf } from '../../model/daemon.js';
import type { HostDef } from '../../model/host.js';
import { inSubnet } from '../pve-formats.js';
import { defineRule, servicePath } from '../rule.js';

/** A client is an address or a CIDR network inside the lab's subnet. */
function clientProblem(host: string, subnet: string): string | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return inSubnet(host, subnet) ? undefined : `is outside the lab's subnet ${subnet}`;
  if (!ipaddr.IPv4.isValidCIDR(host)) return 'is not an IPv4 address or network (a.b.c.d or a.b.c.d/N)';
  const [net, bits] = ipaddr.IPv4.parseCIDR(host);
  const [lab, labBits] = ipaddr.IPv4.parseCIDR(subnet);
  return bits >= labBits && net.match(lab, labBits) ? undefined : `reaches beyond the lab's subnet ${subnet}`;
}

/**
 * NFS exports: datasets of the layout, each once, to clients inside the lab; read-write to a whole
 * network is a warning; a VM that mounts the dataset through virtiofs (its storage) uses no NFS.
 */
export const nfsRule = defineRule({
  description: 'NFS exports name known datasets once, with valid and used clients, never read-write to a whole network',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['nfs-dataset-unknown', 'nfs-export-duplicate', 'nfs-client-invalid', 'nfs-rw-to-network', 'nfs-client-unused'],
  check(lab, findings) {
    // The VMs by address, once: each client is looked up, not searched for in the whole lab.
    const vmsAt = new Map<string, HostDef[]>();
    for (const h of lab.hosts) if (h.kind === 'vm') vmsAt.set(h.address, (vmsAt.get(h.address) ?? []).concat(h));
    for (const host of lab.hosts) {
      for (const nfs of daemonsOf(host, 'nfs-exports')) {
        const seen = new Map<string, number>();
        nfs.exports.forEach((e, i) => {
          const at = (field: string) => servicePath(host, nfs.name, `exports[${i}]${field}`);
          if (!(e.dataset.name in lab.facts.zfs.datasets)) {
            findings.error('nfs-dataset-unknown', at('.dataset'), `dataset "${e.dataset.name}" is not in the ZFS layout (packages/shared/src/zfs.ts).`);
          }
          if (seen.has(e.dataset.name)) findings.error('nfs-export-duplicate', at(''), `${e.dataset.name} is exported twice (exports[${seen.get(e.dataset.name)}]); list all its clients in one export.`);
          seen.set(e.dataset.name, i);
          if (e.clients.length === 0) findings.error('nfs-client-invalid', at('.clients'), 'an export with no client would be open to every host; name its clients.');
          e.clients.forEach((c, j) => {
            const problem = clientProblem(c.host, lab.facts.network.subnet);
            const vm = vmsAt.get(c.host)?.find((h) => h.storage.some((d) => d.name === e.dataset.name));
            if (problem) findings.error('nfs-client-invalid', at(`.clients[${j}]`), `client "${c.host}" ${problem}.`);
            else if (vm) findings.error('nfs-client-unused', at(`.clients[${j}]`), `${vm.name} mounts ${e.dataset.name} through virtiofs (its storage), not over NFS: this client is an export nothing uses and a door into the dataset; remove it.`);
            else if (c.access === 'rw' && c.host.includes('/')) {
              findings.warning('nfs-rw-to-network', at(`.clients[${j}]`), `${e.dataset.name} is writable by every device on ${c.host} (NFS trusts the client's uid); prefer the addresses of the hosts that write.`);
            }
          });
        });
      }
    }
  },
});
