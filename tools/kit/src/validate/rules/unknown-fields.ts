import { closest } from '../../common/suggest.js';
import { DAEMON_FIELDS, GUEST_FIELDS, LXC_FIELDS, QEMU_FIELDS, STACK_FIELDS } from '../../model/known-fields.js';
import { defineRule, hostPath } from '../rule.js';

/**
 * A host (defineVm, defineLxc, defineHost) or a daemon (defineAdguard, defineTailscale, ...) that
 * sets a field its helper does not take: the type refuses it, but a spec built by a function,
 * spread from another object or written in JavaScript reaches the loader unchecked, and the build
 * would drop it (services: `service-unknown-field`).
 */
export const unknownFieldsRule = defineRule({
  description: 'Only the fields a host or a daemon has',
  docs: 'findings.md#host-unknown-field',
  codes: ['host-unknown-field'],
  check(lab, findings) {
    const refuse = (where: string, what: string, field: string, known: readonly string[], file: string) => {
      const near = closest(field, known);
      findings.error('host-unknown-field', `${where}/${field}`, `${what} sets "${field}", which it does not have${near ? ` (did you mean "${near}"?)` : ''}: the build would drop it. Fix it in ${file}.`);
    };
    for (const host of lab.hosts) {
      const known: readonly string[] = [...GUEST_FIELDS, ...STACK_FIELDS, ...(host.kind === 'vm' ? QEMU_FIELDS : LXC_FIELDS)];
      for (const field of Object.keys(host).filter((k) => !known.includes(k))) refuse(hostPath(host), `${host.name} (a ${host.kind === 'vm' ? 'VM' : 'container'})`, field, known, `packages/${host.name}/src/host.ts or index.ts`);
      for (const daemon of host.daemons ?? []) {
        const fields: readonly string[] = [...(DAEMON_FIELDS[daemon.kind] ?? []), 'kind'];
        for (const field of Object.keys(daemon).filter((k) => !fields.includes(k))) refuse(`${host.name}/${daemon.name}`, `${host.name}/${daemon.name} (${daemon.kind})`, field, fields, `packages/${host.name}/src/`);
      }
    }
  },
});
