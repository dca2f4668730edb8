import type { Machine } from '../model/proxmox-host.js';

/**
 * The order deploys go in: the Proxmox host (storage) first, then the LXC containers (DNS among
 * them), then the reverse proxy's host, then the other VMs; alphabetical within each step.
 */
export function deployRank(host: Machine): number {
  if (host.kind === 'pve') return 0;
  if (host.kind === 'lxc') return host.services.some((s) => s.role === 'dns') || host.name.includes('dns') ? 1 : 2;
  if (host.services.some((s) => s.role === 'reverse-proxy' || s.role === 'auth')) return 3;
  return 4;
}

/** How many deploy ranks there are (0 to DEPLOY_TIERS - 1): the deploy workflow has one job per rank. */
export const DEPLOY_TIERS = 5;

export function inDeployOrder<M extends Machine>(hosts: readonly M[]): M[] {
  return [...hosts].sort((a, b) => deployRank(a) - deployRank(b) || a.name.localeCompare(b.name));
}
