import { defineRule, servicePath } from '../rule.js';
import { authentikBlueprint, FIRST_ADMIN } from '../../model/authentik.js';
import { filePaths } from '../../formats/authentik-blueprint.js';
import { secretMountPath } from '../../model/secret.js';
import { serviceSecrets } from '../../model/service-facts.js';
import { findRole } from '../../model/wiring.js';

/**
 * What the lab's Authentik blueprint reads with `!File` (the first admin's password), the worker
 * that applies it must have as a compose secret. A file it cannot read gives no password and a
 * warning in its log (authentik/blueprints/v1/common.py, File), and akadmin stays without one: the
 * initial-setup flow is then open to whoever reaches it first (model/authentik.ts, FIRST_ADMIN).
 */
export const authentikFilesRule = defineRule({
  description: "Authentik's blueprint reads every !File from a secret the worker that applies it has: the first admin's password",
  docs: 'findings.md#across-the-lab',
  codes: ['authentik-first-admin-unread'],
  check(lab, findings) {
    const auth = findRole(lab, 'auth');
    if (!auth) return;
    const wanted = authentikBlueprint(lab).entries.flatMap((e) => filePaths(e.attrs));
    // Authentik's worker applies blueprints; without one, none is applied and akadmin gets nothing.
    const applier = findRole(lab, 'auth-worker');
    if (!applier) {
      if (wanted.length > 0) findings.error('authentik-first-admin-unread', servicePath(auth.host, auth.service, 'role'), `no service has role auth-worker: nothing applies the lab's Authentik blueprint, so ${FIRST_ADMIN.username} gets no password and the initial-setup flow (/if/flow/initial-setup/) stays open to whoever reaches it first. Run Authentik's worker (command: worker) beside ${auth.service.name}, with secrets: [secret('${FIRST_ADMIN.secret}')].`);
      return;
    }
    const has = new Set(serviceSecrets(applier.service).map((s) => secretMountPath(s)));
    for (const path of wanted) {
      if (has.has(path)) continue;
      findings.error(
        'authentik-first-admin-unread',
        servicePath(applier.host, applier.service, 'secrets'),
        `${applier.service.name} applies the lab's Authentik blueprint, which reads ${path} with !File, but it has no such secret: ${FIRST_ADMIN.username} gets no password, and Authentik's initial-setup flow (/if/flow/initial-setup/) stays open to whoever reaches it first, who then signs in as superuser. Add secrets: [secret('${path.split('/').pop()}')] to ${applier.service.name} and store it (homelab secret set ${path.split('/').pop()} --host ${applier.host.name}).`,
      );
    }
  },
});
