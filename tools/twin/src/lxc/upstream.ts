import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from '../namespaces.js';
import { writeFlatRepository } from '../debian/archive.js';

/**
 * What the twin knows of the two daemons of the lab that Debian does not ship, and the stand-ins
 * it installs only through the path upstream documents. Read 2026-12-07:
 * - Tailscale: https://tailscale.com/kb/1174/install-debian-bookworm and pkgs.tailscale.com's
 *   install.sh: the keyring https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg at
 *   /usr/share/keyrings/tailscale-archive-keyring.gpg, the source
 *   `deb [signed-by=<that keyring>] https://pkgs.tailscale.com/stable/debian bookworm main`, the
 *   package `tailscale`; it ships /usr/sbin/tailscaled, /usr/bin/tailscale, /etc/default/tailscaled
 *   (PORT, FLAGS) and tailscaled.service (github.com/tailscale/tailscale cmd/tailscaled/tailscaled.service:
 *   EnvironmentFile=/etc/default/tailscaled, ExecStart=/usr/sbin/tailscaled --state=... --socket=... --port=${PORT} $FLAGS,
 *   Type=notify, WantedBy=multi-user.target); its postinst enables tailscaled.service.
 * - AdGuard Home: github.com/AdguardTeam/AdGuardHome README ("Automated install (Linux/Unix/MacOS)"
 *   and the wiki's Getting-Started): the release asset AdGuardHome_linux_amd64.tar.gz of
 *   https://github.com/AdguardTeam/AdGuardHome/releases/download/<version>/, a folder AdGuardHome/
 *   with the binary AdGuardHome; `AdGuardHome -s install` writes the systemd unit
 *   /etc/systemd/system/AdGuardHome.service (ExecStart=<dir>/AdGuardHome "-s" "run", WantedBy=multi-user.target),
 *   enables and starts it; `--version` prints "AdGuard Home, version <version>".
 */
export const TAILSCALE_UPSTREAM = {
  keyringUrl: 'https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg',
  uri: 'https://pkgs.tailscale.com/stable/debian',
  suite: 'bookworm',
  package: 'tailscale',
} as const;

export const ADGUARD_UPSTREAM = {
  releaseUrl: (version: string) => `https://github.com/AdguardTeam/AdGuardHome/releases/download/${version}/AdGuardHome_linux_amd64.tar.gz`,
} as const;

/** The version the stand-in tailscale package says it is (any: the twin has no tailnet). */
const TAILSCALE_STANDIN_VERSION = '1.90.6';

function write(path: string, text: string, mode = 0o644): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/**
 * The stand-in `tailscale` package, as a flat apt repository in `dir`: the files upstream's
 * package puts on disk, with a tailscaled that only holds its socket (no tailnet here) and a
 * tailscale CLI that records `up` and fails, as the real one does, when tailscaled is not running.
 */
export function tailscaleStandinRepository(dir: string): void {
  const root = join(dir, 'pkg');
  write(join(root, 'usr/sbin/tailscaled'), `#!/bin/sh
# twin: stand-in for tailscaled (the twin has no route to a tailnet)
[ "$1" = --cleanup ] && exit 0
mkdir -p /run/tailscale /var/log/twin
echo "tailscaled $*" >> /var/log/twin/tailscaled.args
: > /run/tailscale/tailscaled.sock
trap 'rm -f /run/tailscale/tailscaled.sock; exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
`, 0o755);
  write(join(root, 'usr/bin/tailscale'), `#!/bin/sh
# twin: stand-in for the tailscale CLI
case "$1" in
  version) echo ${TAILSCALE_STANDIN_VERSION}; exit 0 ;;
esac
if [ ! -e /run/tailscale/tailscaled.sock ]; then echo "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)" >&2; exit 1; fi
for a in "$@"; do case "$a" in --auth-key=file:*) f="\${a#--auth-key=file:}"; [ -r "$f" ] || { echo "reading auth key: open $f: no such file or directory" >&2; exit 1; } ;; esac; done
mkdir -p /var/log/twin
echo "tailscale $*" >> /var/log/twin/tailscale.args
`, 0o755);
  write(join(root, 'etc/default/tailscaled'), '# Set the port to listen on for incoming VPN packets.\nPORT="41641"\n\n# Extra flags you might want to pass to tailscaled.\nFLAGS=""\n');
  write(join(root, 'lib/systemd/system/tailscaled.service'), `[Unit]
Description=Tailscale node agent (twin stand-in)
Wants=network-pre.target
After=network-pre.target

[Service]
EnvironmentFile=/etc/default/tailscaled
ExecStart=/usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state --socket=/run/tailscale/tailscaled.sock --port=\${PORT} $FLAGS
ExecStopPost=/usr/sbin/tailscaled --cleanup
Restart=on-failure
RuntimeDirectory=tailscale
StateDirectory=tailscale
Type=notify

[Install]
WantedBy=multi-user.target
`);
  write(join(root, 'DEBIAN/control'), `Package: tailscale\nVersion: ${TAILSCALE_STANDIN_VERSION}\nArchitecture: amd64\nMaintainer: homelab-as-code twin <twin@localhost>\nSection: net\nPriority: extra\nDescription: twin stand-in for Tailscale's package (pkgs.tailscale.com)\n`);
  write(join(root, 'DEBIAN/conffiles'), '/etc/default/tailscaled\n');
  write(join(root, 'DEBIAN/postinst'), '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then deb-systemd-helper unmask tailscaled.service >/dev/null || true; deb-systemd-helper enable tailscaled.service >/dev/null || true; fi\n', 0o755);
  must(['dpkg-deb', '--root-owner-group', '-Zgzip', '--build', root, join(dir, `tailscale_${TAILSCALE_STANDIN_VERSION}_amd64.deb`)]);
  must(['rm', '-rf', root]);
  writeFlatRepository(dir);
}

/** The stand-in keyring served for the pinned keyring URL: not Tailscale's key (the twin cannot download it). */
export function tailscaleStandinKeyring(path: string): void {
  write(path, 'twin: stand-in for pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg\n');
}

/**
 * The stand-in release tarball of AdGuard Home `version`: AdGuardHome/AdGuardHome, a script that
 * answers --version, does `-s install` as upstream's does (writes the unit, enables and starts
 * it), and otherwise runs the twin's resolver (bin/twin-dns.mjs) on the AdGuardHome.yaml next to it;
 * with no AdGuardHome.yaml it idles, as the real one serves its setup wizard.
 */
export function adguardStandinTarball(path: string, version: string): void {
  const dir = `${path}.d`;
  write(join(dir, 'AdGuardHome/AdGuardHome'), `#!/bin/sh
# twin: stand-in for AdGuard Home ${version} (the release binary is not downloaded here)
here=$(dirname "$(readlink -f "$0")")
case "$1 $2" in
  "--version "*) echo "AdGuard Home, version ${version}"; exit 0 ;;
  "-s install")
    cat > /etc/systemd/system/AdGuardHome.service <<UNIT
[Unit]
Description=AdGuard Home: Network-level blocker
ConditionFileIsExecutable=$here/AdGuardHome
After=syslog.target network-online.target

[Service]
StartLimitInterval=5
StartLimitBurst=10
ExecStart=$here/AdGuardHome "-s" "run"
WorkingDirectory=$here
Restart=always
RestartSec=10
EnvironmentFile=-/etc/sysconfig/AdGuardHome

[Install]
WantedBy=multi-user.target
UNIT
    systemctl daemon-reload && systemctl enable AdGuardHome.service && systemctl start AdGuardHome.service
    exit $? ;;
esac
if [ -f "$here/AdGuardHome.yaml" ]; then exec ${process.execPath} /.twin/bin/twin-dns.mjs "$here/AdGuardHome.yaml"; fi
while :; do sleep 3600; done
`, 0o755);
  must(['tar', '-C', dir, '-czf', path, 'AdGuardHome']);
  must(['rm', '-rf', dir]);
}
