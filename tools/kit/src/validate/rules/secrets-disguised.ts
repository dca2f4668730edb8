import { defineRule, eachService, servicePath } from '../rule.js';
import { serviceSecrets } from '../../model/service-facts.js';
import { serviceStrings } from '../service-strings.js';

/** scheme://user:password@ with a password that is written out (not a ${VAR} compose fills in). */
const URL_CREDENTIAL = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:/@]+):([^\s@/]+)@/gi;
/** What names a secret's file: /run/secrets/<name>, also as a file:// URL. */
const SECRET_PATH = /\/run\/secrets\/([A-Za-z0-9_.-]+)/g;

/**
 * Secrets in disguise: a password inside a URL (`postgres://user:pass@db/app`) anywhere a service
 * hands strings to its container, and a literal path to /run/secrets/<name> for a secret the
 * service does not mount (the reference without its declaration: the file is not there).
 */
export const secretsDisguisedRule = defineRule({
  description: 'Secrets in disguise: credentials inside URLs, and secrets used but not declared',
  docs: 'findings.md#secrets-in-disguise-and-references-against-what-declares-them',
  codes: ['url-credential', 'secret-undeclared'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      let mounted: Set<string> | undefined; // only wanted when a string names a secret's path
      for (const { field, value } of serviceStrings(service)) {
        // Most strings hold neither a URL nor a secret's path: skip the patterns for them.
        const hasUrl = value.includes('://');
        const hasSecretPath = value.includes('/run/secrets/');
        if (!hasUrl && !hasSecretPath) continue;
        for (const m of hasUrl ? value.matchAll(URL_CREDENTIAL) : []) {
          if (/^\$\{?[A-Za-z_]/.test(m[3]!)) continue;
          findings.error(
            'url-credential',
            servicePath(host, service, field),
            `${field} carries the password of ${m[2]} inside a ${m[1]}:// URL, in plain text in the source tree. Keep the URL without it and give the password as a secret (secret('<name>'), docs/secrets.md), in a variable the image reads from a file (e.g. *_PASSWORD_FILE).`,
          );
        }
        for (const m of hasSecretPath ? value.matchAll(SECRET_PATH) : []) {
          mounted ??= new Set(serviceSecrets(service).map((r) => r.name));
          if (mounted.has(m[1]!)) continue;
          findings.error(
            'secret-undeclared',
            servicePath(host, service, field),
            `${field} points at /run/secrets/${m[1]}, but ${service.name} does not mount a secret named "${m[1]}", so the file is not there. Use secret('${m[1]}') as the value (it mounts the secret and writes the path).`,
          );
        }
      }
    });
  },
});
