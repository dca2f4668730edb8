import { join } from 'node:path';
import { must } from '../namespaces.js';
import { cacheKey, cachedDir, type CacheEntry } from '../debian/archive.js';

/**
 * The twin's stand-in for Proxmox's `debian-12-standard` container template: a real Debian 12
 * root filesystem made with Debian's own tool (mmdebstrap), so a container starts with Debian's
 * programs under its own /usr and none of the lab's daemons. Proxmox builds its template with
 * dab from a longer list (postfix, locales, man pages, ...: pve's dab `standard` set); this one
 * is minbase plus the packages below, the ones a lab container's deploy relies on being there or
 * not there (systemd and its units; no samba, no node-exporter, no tailscale, no AdGuard Home).
 */
export const TEMPLATE_SUITE = 'bookworm';
export const TEMPLATE_MIRROR = 'http://deb.debian.org/debian';
export const TEMPLATE_PACKAGES: readonly string[] = ['systemd', 'systemd-sysv', 'iproute2', 'ifupdown', 'procps', 'less', 'openssh-server'];

/** Units of Debian's systemd (in the template) that lab files restart: static units of sysinit.target. */
export const TEMPLATE_SYSTEMD_UNITS: readonly string[] = ['systemd-sysctl.service', 'systemd-sysusers.service'];

/** The template's cache entry and how it is made: keyed by suite, mirror and package list. */
export const TEMPLATE_ENTRY: CacheEntry = {
  name: `lxc-template-${cacheKey([TEMPLATE_SUITE, TEMPLATE_MIRROR, 'minbase', ...TEMPLATE_PACKAGES])}`,
  what: "mmdebstrap (the twin's container template)",
  argv: (d) => ['mmdebstrap', '--quiet', '--variant=minbase', `--include=${TEMPLATE_PACKAGES.join(',')}`, TEMPLATE_SUITE, join(d, 'template.tar.zst'), TEMPLATE_MIRROR],
};

/** The template: made once per machine (about a minute). */
export function containerTemplateTarball(): string {
  return join(cachedDir(TEMPLATE_ENTRY.name, (d) => void must(TEMPLATE_ENTRY.argv(d), TEMPLATE_ENTRY.what)), 'template.tar.zst');
}

/** The dpkg status file of the template: what a fresh container has installed. */
export function templateStatus(tarball: string): string {
  return must(['tar', '-xOf', tarball, './var/lib/dpkg/status']);
}
