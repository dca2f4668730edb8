import { defineRule } from '../rule.js';
import { firewallPolicy, MANAGEMENT_OWNERS } from '../../model/firewall.js';

/**
 * Entry control: every port a machine opens is reached by someone the model names (the reverse
 * proxy for a route, the metrics store for metrics) or is declared LAN-facing with a reason;
 * anything else would be dropped by the firewall the lab renders, or should not be published.
 */
export const firewallRule = defineRule({
  description: 'Entry control: every published port is reached by a route, a metrics scrape or a declared LAN exposure',
  docs: 'findings.md#entry-control-the-firewall',
  codes: ['port-not-in-firewall', 'port-lan-without-reason', 'mgmt-open-to-lan'],
  check(lab, findings) {
    const policy = firewallPolicy(lab);
    const hosts = new Map(lab.hosts.map((h) => [h.name, h]));
    const spec = (path: string) => {
      const [hostName, serviceName, field] = path.split('/');
      const m = /^ports\[(\d+)\]$/.exec(field ?? '');
      const service = hosts.get(hostName!)?.services.find((s) => s.name === serviceName);
      return m ? service?.ports?.[Number(m[1])] : undefined;
    };
    for (const u of policy.unreachable) {
      // A published port with neither a reason nor a route is already port-exposed-without-reason.
      const port = spec(u.path);
      if (port && !port.reason?.trim()) continue;
      findings.error(
        'port-not-in-firewall',
        u.path,
        `${u.service} publishes ${u.port}/${u.protocol} on ${u.host}, but no route, metrics declaration or LAN exposure reaches it, so the firewall drops every client. ` +
          `Route it through the reverse proxy, declare it as metrics, mark it exposure: 'lan' with a reason if clients on the LAN connect directly, or stop publishing it.`,
      );
    }
    for (const { machine, flows } of policy.machines) {
      for (const flow of flows) {
        if (flow.from === 'lan' && MANAGEMENT_OWNERS.has(flow.owner)) {
          findings.error(
            'mgmt-open-to-lan',
            flow.path,
            `${machine.name}'s ${flow.owner === 'ssh' ? 'SSH' : 'Proxmox web UI and API'} (${flow.port}/tcp) is open to the whole LAN: any device there (a TV, a guest's phone, a compromised guest) can try it. ` +
              `Name the devices that manage the lab in the network plan (network.addresses, then network.admins: the CI runner, the admin workstation).`,
          );
        }
        if (flow.from === 'lan' && flow.reason === '') {
          findings.error('port-lan-without-reason', flow.path, `${flow.owner} opens ${flow.port}/${flow.protocol} to the whole LAN without a reason; say why clients connect directly (reason: '...') or drop exposure: 'lan'.`);
        }
      }
    }
  },
});
