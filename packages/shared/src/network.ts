import { defineNetworkPlan } from '@homelab/kit';

/** The seed's network layout: one /24, a range per device class, a static address per host. */
export const network = defineNetworkPlan({
  subnet: '192.168.0.0/24',
  gateway: '192.168.0.1',
  // AdGuard Home on lxc-dns answers for the lab; the router is the fallback.
  nameservers: ['192.168.0.11', '192.168.0.1'],
  bridge: 'vmbr0',
  ranges: {
    router: { first: '192.168.0.1', last: '192.168.0.1' },
    'network-device': { first: '192.168.0.2', last: '192.168.0.9' },
    lxc: { first: '192.168.0.11', last: '192.168.0.13' },
    vm: { first: '192.168.0.20', last: '192.168.0.24' },
  },
  addresses: {
    router: { class: 'router', address: '192.168.0.1' },
    // The Proxmox host is infrastructure, not a guest: the LXC and VM ranges are for guests, so its
    // management address is the first network-device address, next to the router it depends on.
    pve: { class: 'network-device', address: '192.168.0.2' },
    'lxc-dns': { class: 'lxc', address: '192.168.0.11' },
    'lxc-vpn': { class: 'lxc', address: '192.168.0.12' },
    'lxc-smb': { class: 'lxc', address: '192.168.0.13' },
    'vm-infra': { class: 'vm', address: '192.168.0.20' },
    'vm-apps': { class: 'vm', address: '192.168.0.21' },
    'vm-media': { class: 'vm', address: '192.168.0.22' },
    'vm-games': { class: 'vm', address: '192.168.0.23' },
    'vm-dev': { class: 'vm', address: '192.168.0.24' },
    // The devices that manage the lab: the self-hosted CI runner (label `homelab`) that deploys over
    // SSH, and the admin's workstation (SSH, the Proxmox web UI). Give each this DHCP reservation on
    // the router. Next to pve and the nodes docs/cluster.md adds (.3, .4).
    'ci-runner': { class: 'network-device', address: '192.168.0.5' },
    'admin-workstation': { class: 'network-device', address: '192.168.0.6' },
  },
  // SSH and 8006 are open from these only (tools/kit/src/model/firewall.ts adminSources).
  admins: ['ci-runner', 'admin-workstation'],
});
