import { closest } from '../../common/suggest.js';
import { NESTED_FIELDS, SERVICE_FIELDS, VOLUME_KIND_FIELDS, type ServiceDef } from '../../model/service.js';
import { defineRule, servicePath } from '../rule.js';

/** What defineService adds to a spec (its `kind`): not a field the author wrote. */
const ADDED = new Set<string>(['kind']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A volume's fields by its kind (the key that says which), or every volume field when it names none. */
function volumeFields(volume: Record<string, unknown>): readonly string[] {
  const kind = (Object.keys(VOLUME_KIND_FIELDS) as (keyof typeof VOLUME_KIND_FIELDS)[]).find((k) => k in volume);
  return kind ? VOLUME_KIND_FIELDS[kind] : NESTED_FIELDS.volumes;
}

/** Every object nested in a service that NESTED_FIELDS describes: its path (`route.page`, `ports[0]`), value and known fields. */
function nestedObjects(service: ServiceDef): { path: string; value: Record<string, unknown>; fields: readonly string[] }[] {
  const out: { path: string; value: Record<string, unknown>; fields: readonly string[] }[] = [];
  for (const [path, fields] of Object.entries(NESTED_FIELDS)) {
    const [top, ...rest] = path.split('.');
    let value: unknown = (service as unknown as Record<string, unknown>)[top!];
    for (const key of rest) value = isRecord(value) ? value[key] : undefined;
    if (isRecord(value)) out.push({ path, value, fields });
    else if (Array.isArray(value)) value.forEach((v, i) => isRecord(v) && out.push({ path: `${path}[${i}]`, value: v, fields: path === 'volumes' ? volumeFields(v) : fields }));
  }
  return out;
}

/** Named volumes and networks a service uses are declared by its stack, service names are unique, and a service sets only fields a service has. */
export const declaredRule = defineRule({
  description: 'Stack-declared volumes and networks, unique service names, and only the fields a service has',
  docs: 'findings.md#compose-per-host',
  codes: ['undeclared-volume', 'undeclared-network', 'duplicate-service', 'service-unknown-field'],
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
        // defineService's type refuses these, but a spec built by a function, spread from an
        // object or written in JavaScript reaches the loader unchecked, and the build drops it.
        for (const field of Object.keys(service).filter((k) => !ADDED.has(k) && !(SERVICE_FIELDS as readonly string[]).includes(k))) {
          const near = closest(field, SERVICE_FIELDS);
          findings.error('service-unknown-field', servicePath(host, service, field), `${host.name}/${service.name} sets "${field}", which is not a field of a service${near ? ` (did you mean "${near}"?)` : ''}: the build would drop it. Fix it in packages/${host.name}/src/services/${service.name}.ts.`);
        }
        for (const nested of nestedObjects(service)) {
          for (const field of Object.keys(nested.value).filter((k) => !nested.fields.includes(k))) {
            const near = closest(field, nested.fields);
            findings.error('service-unknown-field', servicePath(host, service, `${nested.path}.${field}`), `${host.name}/${service.name} sets "${nested.path}.${field}", which ${nested.path.replace(/\[\d+\]$/, '')} does not have${near ? ` (did you mean "${near}"?)` : ''}; it has ${nested.fields.join(', ')}. The build would drop it. Fix it in packages/${host.name}/src/services/${service.name}.ts.`);
          }
        }
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
