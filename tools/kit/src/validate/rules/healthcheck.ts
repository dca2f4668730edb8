import { defineRule, servicePath } from '../rule.js';
import { shipsCommand } from '../../model/image-facts.js';
import { namespaceOwner } from '../../model/routes.js';
import type { HealthcheckSpec } from '../../model/service.js';

const SHELLS = new Set(['sh', 'ash', 'bash', '/bin/sh', '/bin/ash', '/bin/bash', '/usr/bin/bash']);
/** Shell built-ins: a CMD-SHELL line calls them without the image shipping anything. */
const BUILTINS = new Set(['exit', 'test', '[', '[[', 'echo', 'printf', 'true', 'false', 'cd', 'set', 'export', ':', 'read', 'kill']);
/** A URL the healthcheck asks inside the container's own network namespace. */
const LOCAL_URL = /\b(https?):\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(?=[/?#\s'"]|$)/g;

/** The first word of each command of a shell line (`a && b | c; d`), without leading VAR=value. */
function shellCommands(line: string): string[] {
  return line
    .split(/&&|\|\||[;|]/)
    .map((part) => part.trim().split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '')
    .filter((w) => w !== '' && !BUILTINS.has(w));
}

/** The commands a healthcheck calls: CMD's program (and a shell's script), or CMD-SHELL's shell and the commands of its line. */
export function healthcheckCommands(test: readonly string[]): string[] {
  const [kind, ...rest] = test;
  if (kind === 'CMD-SHELL') return ['sh', ...shellCommands(rest.join(' '))];
  if (kind !== 'CMD' || rest.length === 0) return [];
  const [program, first, second] = rest as [string, string?, string?];
  if (!SHELLS.has(program)) return [program];
  if (first === '-c' && second !== undefined) return [program, ...shellCommands(second)];
  return first !== undefined && !first.startsWith('-') ? [program, first] : [program];
}

/** The local ports a healthcheck's URLs ask (80 and 443 when the URL names none). */
export function healthcheckPorts(spec: HealthcheckSpec): number[] {
  const ports: number[] = [];
  for (const arg of spec.test.slice(1)) for (const m of arg.matchAll(LOCAL_URL)) ports.push(m[2] ? Number(m[2]) : m[1] === 'https' ? 443 : 80);
  return [...new Set(ports)];
}

/**
 * A healthcheck that can never pass rolls every deploy back: its URL must ask a port something
 * in the service's network namespace listens on (behind a gateway, the gateway's namespace), and
 * the commands it calls must be ones the image ships (`imageFacts.ships`).
 */
export const healthcheckRule = defineRule({
  codes: ['healthcheck-port-not-listened', 'healthcheck-command-not-shipped'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const hc = service.healthcheck;
        if (!hc) continue;
        const owner = namespaceOwner(host, service);
        const listened = new Set(host.services.filter((s) => namespaceOwner(host, s) === owner).flatMap((s) => s.listen ?? []));
        for (const port of healthcheckPorts(hc)) {
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
