import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, cachedDir, debianPackageNames, downloadClosure, writeFlatRepository } from '../debian/archive.js';
import { templateStatus } from './template.js';
import { ADGUARD_UPSTREAM, adguardStandinTarball, TAILSCALE_UPSTREAM, tailscaleStandinKeyring, tailscaleStandinRepository } from './upstream.js';

/**
 * The packages of Debian's archive a lab container may install, mirrored for the containers
 * (which have no route out): what deploy installs (samba, prometheus-node-exporter,
 * ca-certificates for the https downloads) with all they need on top of the template.
 */
export const MIRRORED_PACKAGES: readonly string[] = ['ca-certificates', 'prometheus-node-exporter', 'samba'];

/** Debian's suites a container's sources may name, that the mirror stands for. */
const DEBIAN_URIS = ['http://deb.debian.org/debian', 'https://deb.debian.org/debian', 'http://deb.debian.org/debian-security', 'http://security.debian.org/debian-security'];

/**
 * Writes what a container's apt-get and apt-helper read at /.twin/mirror and /.twin/downloads.json
 * (bin/guest-apt-get.mjs, bin/guest-apt-helper.mjs) into `<twinDir>/mirror`: the Debian mirror
 * (made once per machine, keyed by the template and the package list), the stand-in Tailscale
 * repository and its keyring, and AdGuard Home's stand-in release for each version the lab pins.
 */
export function writeContainerMirrors(twinDir: string, template: string, adguardVersions: readonly string[]): string {
  const debian = cachedDir(`lxc-debian-mirror-${cacheKey([template, ...MIRRORED_PACKAGES])}`, (d) => {
    const status = join(d, 'template-status');
    writeFileSync(status, templateStatus(template));
    downloadClosure(MIRRORED_PACKAGES, status, d);
    writeFlatRepository(d);
    writeFileSync(join(d, 'debian-names'), [...debianPackageNames()].sort().join('\n'));
  });
  const dir = join(twinDir, 'mirror');
  const tailscale = join(dir, 'tailscale');
  mkdirSync(tailscale, { recursive: true });
  tailscaleStandinRepository(tailscale);
  const downloads = join(dir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  tailscaleStandinKeyring(join(downloads, 'tailscale.gpg'));
  const served: Record<string, { file: string; note: string }> = {
    [TAILSCALE_UPSTREAM.keyringUrl]: { file: '/.twin/mirror/downloads/tailscale.gpg', note: "stand-in for Tailscale's repository keyring" },
  };
  for (const v of adguardVersions) {
    adguardStandinTarball(join(downloads, `AdGuardHome-${v}.tar.gz`), v);
    served[ADGUARD_UPSTREAM.releaseUrl(v)] = { file: `/.twin/mirror/downloads/AdGuardHome-${v}.tar.gz`, note: `stand-in for AdGuard Home ${v}'s release` };
  }
  writeFileSync(join(dir, 'downloads.json'), JSON.stringify(served, null, 2));
  writeFileSync(
    join(dir, 'sources.json'),
    JSON.stringify({
      repos: {
        debian: { uris: DEBIAN_URIS, suites: '^bookworm(-updates|-security)?$', dir: '/.twin/mirror/debian' },
        tailscale: { uris: [TAILSCALE_UPSTREAM.uri], suites: `^${TAILSCALE_UPSTREAM.suite}$`, dir: '/.twin/mirror/tailscale', keyring: '/.twin/mirror/downloads/tailscale.gpg' },
      },
    }, null, 2),
  );
  // The Debian mirror is the machine's cache entry: bound at /.twin/mirror/debian by the container.
  mkdirSync(join(dir, 'debian'), { recursive: true });
  return debian;
}
