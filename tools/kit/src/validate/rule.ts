import type { Findings } from '../findings.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import type { ServiceDef } from '../model/service.js';

/** A check a schema cannot say. Rules report every finding and never throw for a user mistake. */
export interface Rule {
  /** The finding codes this rule can report; each has its own `### \`code\`` heading in docs/findings.md. */
  readonly codes: readonly string[];
  /** What it checks, in one line. */
  readonly description: string;
  /** Where docs explain it: `findings.md#<anchor>`, a heading of docs/findings.md. */
  readonly docs: string;
  check(lab: Lab, findings: Findings): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** host/service/field */
export function servicePath(host: HostDef, service: ServiceDef | string, field?: string): string {
  const name = typeof service === 'string' ? service : service.name;
  return field ? `${host.name}/${name}/${field}` : `${host.name}/${name}`;
}

export function hostPath(host: HostDef, field?: string): string {
  return field ? `${host.name}/${field}` : host.name;
}

/** Runs `visit` for every service of every host. */
export function eachService(lab: Lab, visit: (host: HostDef, service: ServiceDef) => void): void {
  for (const host of lab.hosts) for (const service of host.services) visit(host, service);
}
