import { defineRule, servicePath } from '../rule.js';
import { labRoutes, ROUTES_ENTRY_POINT } from '../../model/routes.js';
import { findRole } from '../../model/wiring.js';
import { imageName } from '../../model/service.js';
import { durationMs } from '../../common/compose-units.js';

/**
 * Traefik's read timeout on the entry point the routes use. Since v2.11.2 and in v3 an entry
 * point stops reading a request after 60 seconds, body included (`DefaultReadTimeout`,
 * traefik/traefik pkg/config/static/static_config.go, read 2026-12-07), so an upload that takes
 * longer is cut: Immich's phone backups of videos, Nextcloud's large chunks on a slow link, a big
 * layer pushed to the registry. Immich's reverse-proxy page asks for at least 10 minutes
 * (https://docs.immich.app/administration/reverse-proxy, read 2026-12-07).
 */
export const MIN_READ_TIMEOUT_MS = 600_000;
const TRAEFIK_DEFAULT = '60s';

const ENV_KEY = `TRAEFIK_ENTRYPOINTS_${ROUTES_ENTRY_POINT.toUpperCase()}_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT`;
const FLAG = `--entrypoints.${ROUTES_ENTRY_POINT}.transport.respondingtimeouts.readtimeout=`;

/** Traefik's durations (paerser): a bare number is seconds, else Go's duration syntax. */
function traefikDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  return durationMs(t);
}

/** The read timeout the service configures for the routes' entry point, as written; undefined when it keeps the default. */
function readTimeout(environment: Readonly<Record<string, unknown>> | undefined, command: string | readonly string[] | undefined): { value: string; field: string } | undefined {
  for (const [key, value] of Object.entries(environment ?? {})) {
    if (key.toUpperCase() === ENV_KEY && (typeof value === 'string' || typeof value === 'number')) return { value: String(value), field: `environment.${key}` };
  }
  const args = typeof command === 'string' ? command.split(/\s+/) : (command ?? []);
  for (const arg of args) {
    if (arg.toLowerCase().startsWith(FLAG)) return { value: arg.slice(FLAG.length), field: 'command' };
  }
  return undefined;
}

export const proxyTimeoutsRule = defineRule({
  description: "The reverse proxy's read timeout lets a long upload finish (Traefik's default stops reading after 60s)",
  docs: 'findings.md#across-the-lab',
  codes: ['proxy-read-timeout-short'],
  check(lab, findings) {
    const proxy = findRole(lab, 'reverse-proxy');
    if (!proxy || imageName(proxy.service.image) !== 'traefik' || labRoutes(lab).length === 0) return;
    const set = readTimeout(proxy.service.environment, proxy.service.command);
    const value = set?.value ?? TRAEFIK_DEFAULT;
    const ms = traefikDurationMs(value);
    if (ms === 0 || (ms !== undefined && ms >= MIN_READ_TIMEOUT_MS)) return;
    const path = servicePath(proxy.host, proxy.service, set?.field ?? 'environment');
    findings.error(
      'proxy-read-timeout-short',
      path,
      `${proxy.service.name} stops reading a request on its ${ROUTES_ENTRY_POINT} entry point after ${value}${set ? '' : " (Traefik's default)"}, body included: an upload that takes longer (an Immich video backup, a registry push) fails. Set ${ENV_KEY} to at least ${MIN_READ_TIMEOUT_MS / 1000}s.`,
    );
  },
});
