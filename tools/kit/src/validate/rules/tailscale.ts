import ipaddr from 'ipaddr.js';
import { daemonsOf } from '../../model/daemon.js';
import { isLxcHost } from '../../model/lxc.js';
import { defineRule, servicePath } from '../rule.js';
import { resolveTailnetGrants, TAILNET_TAG } from '../../model/tailnet.js';

/** A route tailscale accepts: a network address with its prefix (no host bits set). */
function isNetwork(cidr: string): boolean {
  if (!ipaddr.isValidCIDR(cidr)) return false;
  const [address, bits] = ipaddr.parseCIDR(cidr);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return address.toNormalizedString() === network.toNormalizedString() && bits >= 0;
}

/** Tailscale: valid routes and tags, grants of what the LAN offers, and a TUN device in the container (kernel networking mode). */
export const tailscaleRule = defineRule({
  description: 'Tailscale has its TUN device, valid advertised routes, a valid tag, and grants the tailnet only what the LAN is offered',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['tailscale-no-tun', 'tailscale-route-invalid', 'tailscale-tag-invalid', 'tailscale-untagged', 'tailnet-grant-unknown', 'tailnet-grant-unrouted'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const ts of daemonsOf(host, 'tailscale')) {
        const at = (field: string) => servicePath(host, ts.name, field);
        ts.advertiseRoutes.forEach((route, i) => {
          if (!isNetwork(route)) findings.error('tailscale-route-invalid', at(`advertiseRoutes[${i}]`), `route "${route}" must be a network in CIDR form with no host bits set (e.g. 192.168.0.0/24).`);
        });
        if (ts.advertiseRoutes.length === 0 && !ts.advertiseExitNode) {
          findings.error('tailscale-route-invalid', at('advertiseRoutes'), `${ts.name} routes nothing: list the subnets it advertises (or make it an exit node).`);
        }
        (ts.advertiseTags ?? []).forEach((tag, i) => {
          if (!TAILNET_TAG.test(tag)) findings.error('tailscale-tag-invalid', at(`advertiseTags[${i}]`), `tag "${tag}" must be tag:<name>, the name a letter and then letters, digits or - (Tailscale's tailcfg.CheckTag).`);
        });
        if (ts.advertiseRoutes.length > 0 && (ts.advertiseTags ?? []).length === 0) {
          findings.warning(
            'tailscale-untagged',
            at('advertiseTags'),
            `${ts.name} routes ${ts.advertiseRoutes.join(', ')} as the user whose key joined it: the tailnet policy cannot approve its routes by a tag (autoApprovers), and they stop when that user leaves. Give it a tag (advertiseTags: ['tag:lab-router']) and an auth key allowed to set it.`,
          );
        }
        for (const g of resolveTailnetGrants(lab, ts)) {
          if (g.problem) findings.error(g.problem.code, at(`grants[${g.index}]`), `${ts.name} grants the tailnet ${g.grant.service} on ${g.grant.host}, but ${g.problem.message}. Grant a service by its host and name as the model has it, one that opens ports to the LAN (exposure: 'lan').`);
        }
        if (!isLxcHost(host)) continue;
        const tun = (host.devices ?? []).some((d) => d.path === '/dev/net/tun') || (host.raw ?? []).some((r) => r.key === 'lxc.mount.entry' && r.value.startsWith('/dev/net/tun '));
        if (!tun) {
          findings.error('tailscale-no-tun', `${host.name}/devices`, `${ts.name} routes in kernel mode and needs /dev/net/tun; add devices: [{ path: '/dev/net/tun' }] to ${host.name}'s src/host.ts (Proxmox VE 8.1+ passes it into an unprivileged container).`);
        }
      }
    }
  },
});
