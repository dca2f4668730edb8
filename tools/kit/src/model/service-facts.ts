import type { HostDef } from './host.js';
import { oncePer } from './once-per.js';
import { isSecretRef, type SecretRef } from './secret.js';
import type { PortSpec, ServiceDef } from './service.js';

/**
 * Every secret a service receives (its `secrets`, its `envFile`, and `secret()` values in its
 * environment), once by name, sorted: computed once per service and read by the renderers (compose,
 * Kubernetes), the rules and deploy (who owns each file). Treat the list as read-only.
 */
export const serviceSecrets = oncePer((service: ServiceDef): SecretRef[] => {
  const refs = [...(service.secrets ?? []), ...(service.envFile ? [service.envFile] : [])];
  for (const value of Object.values(service.environment ?? {})) if (isSecretRef(value)) refs.push(value);
  const byName = new Map(refs.map((r) => [r.name, r]));
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
});

/** The host address a published port binds: the host's own (lan, the default), loopback, or every address (undefined). */
export function portBindAddress(host: HostDef, port: PortSpec): string | undefined {
  switch (port.bind ?? 'lan') {
    case 'lan':
      return host.address;
    case 'loopback':
      return '127.0.0.1';
    case 'all':
      return undefined;
  }
}
