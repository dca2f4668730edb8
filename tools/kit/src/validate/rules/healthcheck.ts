import { defineRule, servicePath } from '../rule.js';
import { shipsCommand } from '../../model/image-facts.js';
import { namespaceOwner } from '../../model/routes.js';
import { healthcheckCommands, healthcheckUrls } from '../../model/healthcheck.js';

/**
 * A pg_isready that connects over the Unix socket: no -h/--host (or a socket folder as its
 * host) and no PGHOST in the service's environment. docker-library/postgres's docker-entrypoint.sh
 * starts its temporary server with `-c listen_addresses=''` (the socket only) while it runs
 * initdb's setup and /docker-entrypoint-initdb.d (read 2026-12-07).
 */
export function pgIsreadyOnSocket(test: readonly string[] | string, environment?: Readonly<Record<string, unknown>>): boolean {
  const words = (typeof test === 'string' ? test : test.join(' ')).split(/\s+/);
  const at = words.findIndex((w) => w === 'pg_isready' || w.endsWith('/pg_isready'));
  if (at < 0) return false;
  const host = words.slice(at + 1).map((w, i, all) => (w === '-h' || w === '--host' ? all[i + 1] : /^(-h|--host=)(.+)$/.exec(w)?.[2])).find((h) => h !== undefined);
  const fromEnv = typeof environment?.PGHOST === 'string' ? environment.PGHOST : undefined;
  const chosen = host ?? fromEnv;
  return chosen === undefined || chosen.startsWith('/');
}

/**
 * A healthcheck that can never pass rolls every deploy back: its URL must ask a port something
 * in the service's network namespace listens on (behind a gateway, the gateway's namespace), and
 * the commands it calls must be ones the image ships (`imageFacts.ships`).
 */
export const healthcheckRule = defineRule({
  description: 'A healthcheck that can never pass rolls every deploy back',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['healthcheck-port-not-listened', 'healthcheck-command-not-shipped', 'healthcheck-pg-isready-socket'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const hc = service.healthcheck;
        if (!hc) continue;
        const owner = namespaceOwner(host, service);
        const listened = new Set(host.services.filter((s) => namespaceOwner(host, s) === owner).flatMap((s) => s.listen ?? []));
        for (const port of new Set(healthcheckUrls(hc).map((u) => u.port))) {
          if (listened.has(port)) continue;
          const where = owner === service ? `${service.name}` : `${owner.name}'s network namespace (which ${service.name} joins)`;
          findings.error(
            'healthcheck-port-not-listened',
            servicePath(host, service, 'healthcheck.test'),
            `${service.name}'s healthcheck asks port ${port}, but nothing in ${where} listens on it (listen: [${[...listened].join(', ')}]): it can never pass and every deploy is rolled back. Point it at the port the service listens on.`,
          );
        }
        if (pgIsreadyOnSocket(hc.test, service.environment)) {
          findings.error(
            'healthcheck-pg-isready-socket',
            servicePath(host, service, 'healthcheck.test'),
            `${service.name}'s healthcheck runs pg_isready without a host, so it asks the Unix socket: the postgres image's entrypoint runs its first-start temporary server on that socket alone (listen_addresses='') while it creates the database and user, and the check passes then. What depends on ${service.name} being healthy starts before its database exists, and its TCP connection is refused. Ask over TCP: pg_isready -h 127.0.0.1.`,
          );
        }
        const ships = service.imageFacts?.ships;
        if (!ships) continue; // no facts: image-facts-missing
        for (const command of healthcheckCommands(hc.test)) {
          if (shipsCommand(ships, command)) continue;
          findings.error(
            'healthcheck-command-not-shipped',
            servicePath(host, service, 'healthcheck.test'),
            `${service.name}'s healthcheck calls ${command === 'sh' ? '/bin/sh (CMD-SHELL runs the line in it)' : command}, which ${service.image} does not ship (imageFacts.ships: [${ships.join(', ')}]): the check can never pass. Call a command the image has, or add it to ships after checking the image.`,
          );
        }
      }
    }
  },
});
