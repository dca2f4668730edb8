import { LabError } from '../findings.js';
import type { HostDef } from '../model/host.js';

/** What a value is, in words a person recognises ("undefined", "a string", "an object without kind"). */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return 'an object that did not come from defineService';
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
        `entry ${i} of ${host.name}'s services is ${describe(value)}; each entry must be a service file's default export, \`export default defineService({ name, image, ... })\`.${value === undefined ? HINT_UNDEFINED : ''}`,
      );
    }
    (Array.isArray(service.dependsOn) ? service.dependsOn : []).forEach((dep, j) => checkServiceRef(host, service.name!, `dependsOn[${j}]`, (dep as { service?: unknown } | undefined)?.service));
    const mode = service.networkMode as unknown;
    if (mode && typeof mode === 'object' && 'service' in mode) checkServiceRef(host, service.name, 'networkMode', (mode as { service: unknown }).service);
  });
}
