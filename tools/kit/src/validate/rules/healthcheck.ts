import { defineRule, servicePath } from '../rule.js';
import { shipsCommand } from '../../model/image-facts.js';
import { namespaceOwner } from '../../model/routes.js';
import { healthcheckCommands, healthcheckUrls } from '../../model/healthcheck.js';

/**
 * A healthcheck that can never pass rolls every deploy back: its URL must ask a port something
 * in the service's network namespace listens on (behind a gateway, the gateway's namespace), and
 * the commands it calls must be ones the image ships (`imageFacts.ships`).
 */
export const healthcheckRule = defineRule({
  description: 'A healthcheck that can never pass rolls every deploy back',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['healthcheck-port-not-listened', 'healthcheck-command-not-shipped'],
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
