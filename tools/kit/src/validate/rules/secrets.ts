import { defineRule, servicePath } from '../rule.js';
import { isSecretRef, isValidSecretName } from '../../model/secret.js';
import { serviceSecrets } from '../../model/service-facts.js';

/** Environment keys that hold credentials by their name (also the short forms: DB_PASS, APP_KEY). */
const SECRET_KEY = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|AUTH_?KEY|PRESHARED_?KEY|PASS$|_KEY$)/i;
/** Keys that say they hold no secret although their name looks like it. */
const PUBLIC_KEY = /PUBLIC_?KEY$/i;
/** Keys that carry a path to a secret file (or, like an htpasswd realm, a name), not the secret itself. */
const FILE_KEY = /(_FILE|_SECRETFILE|_PATH|_REALM|^FILE__.*)$/i;

/** Secrets travel by reference only: no credential value in `environment`, and secret names compose accepts. */
export const secretsRule = defineRule({
  description: 'Secrets travel by reference only',
  docs: 'findings.md#compose-per-host',
  codes: ['inline-secret', 'secret-name-invalid'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        for (const [key, value] of Object.entries(service.environment ?? {})) {
          if (isSecretRef(value) || FILE_KEY.test(key) || PUBLIC_KEY.test(key) || !SECRET_KEY.test(key)) continue;
          if ((typeof value === 'string' && value.length > 0) || typeof value === 'number') {
            findings.error('inline-secret', servicePath(host, service, `environment.${key}`), `${key} holds a credential as plain text in the source tree. Use secret('<name>') and store the value encrypted (docs/secrets.md); the container reads it from /run/secrets/<name>.`);
          }
        }
        for (const ref of serviceSecrets(service)) {
          if (!isValidSecretName(ref.name)) {
            findings.error('secret-name-invalid', servicePath(host, service, 'secrets'), `secret name "${ref.name}" must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.`);
          }
        }
      }
    }
  },
});
