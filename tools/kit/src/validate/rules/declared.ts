import { defineRule, servicePath } from '../rule.js';

/** Named volumes and networks a service uses are declared by its stack, and service names are unique. */
export const declaredRule = defineRule({
  description: 'Named volumes and networks a service uses are declared by its stack, and service names are unique',
  docs: 'findings.md#compose-per-host',
  codes: ['undeclared-volume', 'undeclared-network', 'duplicate-service'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const volumes = new Set(host.volumes ?? []);
      const networks = new Set(Object.keys(host.networks ?? {}));
      const names = new Set<string>();
      for (const service of host.services) {
        if (names.has(service.name)) {
          findings.error('duplicate-service', servicePath(host, service, 'name'), `${host.name} lists two services named "${service.name}"; compose keys services by name. Rename one or remove the duplicate from index.ts.`);
        }
        names.add(service.name);
        (service.volumes ?? []).forEach((volume, i) => {
          if ('volume' in volume && !volumes.has(volume.volume)) {
            findings.error('undeclared-volume', servicePath(host, service, `volumes[${i}]`), `named volume "${volume.volume}" is not declared by ${host.name}; add it to the stack's volumes in packages/${host.name}/src/index.ts.`);
          }
        });
        (service.networks ?? []).forEach((network, i) => {
          if (!networks.has(network)) {
            findings.error('undeclared-network', servicePath(host, service, `networks[${i}]`), `network "${network}" is not declared by ${host.name}; add it to the stack's networks in packages/${host.name}/src/index.ts.`);
          }
        });
      }
    }
  },
});
