import { LabError } from '../findings.js';
import type { HostDef } from '../model/host.js';

/** What a value is, in words a person recognises ("undefined", "a string", "an object without kind"). */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return 'an object';
}

const HINT_UNDEFINED =
  ' An undefined value usually means an import cycle (two files importing each other) or an import of a name the module does not export.';

/** A reference to another service (dependsOn, networkMode) is a service value or a name. */
function checkServiceRef(host: HostDef, owner: string, field: string, ref: unknown): void {
  if (typeof ref === 'string' && ref.length > 0) return;
  if (ref && typeof ref === 'object' && typeof (ref as { name?: unknown }).name === 'string') return;
  throw new LabError(
    'service-invalid',
    `${host.name}/${owner}/${field}`,
    `${owner}'s ${field} names a service by ${describe(ref)}; give it the imported service (or its name).${ref === undefined ? HINT_UNDEFINED : ''}`,
  );
}

/** List fields whose entries are objects (the rest hold strings or numbers). */
const OBJECT_LISTS = new Set(['ports', 'allocations', 'volumes', 'dependsOn', 'secrets']);
const LISTS = ['ports', 'allocations', 'listen', 'volumes', 'secrets', 'dependsOn', 'networks', 'capAdd', 'devices', 'dns', 'extraHosts', 'tmpfs', 'securityOpt', 'callsOverHttps'] as const;

/** A list field is a list, with no undefined (or wrongly typed) entry: the renderers and rules iterate them. */
function checkLists(host: HostDef, service: HostDef['services'][number]): void {
  const fail = (field: string, what: string, value: unknown) => {
    throw new LabError('service-invalid', `${host.name}/${service.name}/${field}`, `${service.name}'s ${field} is ${describe(value)}; it must be ${what}.${value === undefined ? HINT_UNDEFINED : ''}`);
  };
  for (const key of LISTS) {
    const list = service[key] as unknown;
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(key, 'a list', list);
    (list as unknown[]).forEach((entry, i) => {
      const ok = OBJECT_LISTS.has(key) ? entry !== null && typeof entry === 'object' : typeof entry === 'string' || typeof entry === 'number';
      if (!ok) fail(`${key}[${i}]`, OBJECT_LISTS.has(key) ? 'an object' : 'a string or number', entry);
    });
  }
  const test = service.healthcheck?.test as unknown;
  if (service.healthcheck && (!Array.isArray(test) || test.some((t) => typeof t !== 'string'))) {
    fail('healthcheck.test', 'a list of strings, e.g. ["CMD", "curl", "-f", "http://localhost:8080/"]', test);
  }
}

/**
 * Every entry of a host's services is a defineService(...) value whose references to other
 * services are defined: what the renderers and rules rely on, checked before any of them runs.
 */
export function checkServices(host: HostDef): void {
  host.services.forEach((value: unknown, i) => {
    const service = value as Partial<HostDef['services'][number]> | undefined;
    if (!service || typeof service !== 'object' || service.kind !== 'service' || typeof service.name !== 'string' || typeof service.image !== 'string') {
      throw new LabError(
        'service-invalid',
        `${host.name}/services[${i}]`,
        `entry ${i} of ${host.name}'s services is ${describe(value)}${value && typeof value === 'object' ? ' that did not come from defineService' : ''}; each entry must be a service file's default export, \`export default defineService({ name, image, ... })\`.${value === undefined ? HINT_UNDEFINED : ''}`,
      );
    }
    checkLists(host, service as HostDef['services'][number]);
    (Array.isArray(service.dependsOn) ? service.dependsOn : []).forEach((dep, j) => checkServiceRef(host, service.name!, `dependsOn[${j}]`, (dep as { service?: unknown } | undefined)?.service));
    const mode = service.networkMode as unknown;
    if (mode && typeof mode === 'object' && 'service' in mode) checkServiceRef(host, service.name, 'networkMode', (mode as { service: unknown }).service);
  });
}

/** The facts package's default export has what every host and rule reads. */
export function checkFacts(value: unknown, dir: string): void {
  const facts = value as Record<string, unknown> | undefined;
  const missing = !facts || typeof facts !== 'object' ? ['everything'] : ['name', 'domain', 'network', 'zfs', 'proxmox'].filter((k) => facts[k] === undefined || facts[k] === null);
  if (missing.length === 0) return;
  throw new LabError(
    'lab-facts',
    `${dir}/src/index.ts`,
    `the facts package must export default defineLabFacts({ name, domain, network, zfs, proxmox, ... }); its default export ${missing[0] === 'everything' ? `is ${describe(value)}` : `has no ${missing.join(', ')}`}.${value === undefined ? HINT_UNDEFINED : ''}`,
  );
}
