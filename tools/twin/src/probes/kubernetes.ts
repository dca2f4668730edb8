import type { ProbeLog } from '../probe.js';

/**
 * The services the lab runs on a host's k3s: k3s is not in the twin, so compose runs each one here
 * (the same image stand-in, ports, volumes and secrets); every probe of it tests that stand-in. Each
 * is a line of the report, never left out silently.
 */
export function reportComposeStandIns(log: ProbeLog, notes: string[], standIns: readonly string[]): void {
  for (const id of standIns) {
    const [host, service] = id.split('/') as [string, string];
    log.add({ host, kind: 'deploy', name: `${service} runs on ${host}'s k3s in the lab: not in twin, compose runs it here`, ok: true, detail: 'stand-in: its manifests, k3s and the hostPort are not exercised; its route, DNS, firewall, scrape and volume probes test the compose stand-in' });
  }
  if (standIns.length > 0) notes.push(`kubernetes: not in twin (no k3s); compose runs ${standIns.join(', ')} in its place (HOMELAB_TWIN_KUBERNETES_AS_COMPOSE=1)`);
}
