/**
 * Where the program behind a container's systemd unit comes from, so that deploy installs it
 * (only when absent) before it restarts the unit: a fresh container from Proxmox's
 * debian-12-standard template has none of the lab's daemons, and two of them (Tailscale,
 * AdGuard Home) are not in Debian's archive at all.
 */
export type UnitSource = DebianPackage | AptRepositoryPackage | ReleaseArchive;

/** A package of Debian's archive (the template's own sources.list). */
export interface DebianPackage {
  readonly from: 'debian';
  readonly package: string;
}

/** A package of an upstream apt repository: deploy writes its source and keyring first. */
export interface AptRepositoryPackage {
  readonly from: 'apt-repository';
  readonly package: string;
  /** The one-line source, written to `list`. */
  readonly line: string;
  readonly list: string;
  /** The repository's signing keyring: downloaded from `url` to `path` (the line's signed-by=). */
  readonly keyring: { readonly url: string; readonly path: string; readonly sha256?: string };
}

/** An upstream release archive: downloaded, unpacked into `dir`, and installed as a service by its own command. */
export interface ReleaseArchive {
  readonly from: 'release';
  /** What it is, for the step's description ("AdGuard Home"). */
  readonly name: string;
  readonly version: string;
  readonly url: string;
  /** The archive's SHA-256, when pinned: the download stops on any other content. */
  readonly sha256?: string;
  /** The folder the archive's top folder is unpacked as. */
  readonly dir: string;
  /** A command that succeeds when this version is installed. */
  readonly installed: string;
  /** The unit file its service installer writes, and that installer (run once, when the unit is absent). */
  readonly unitFile: string;
  readonly installService: string;
}

/** A stable key per source: one install step per package or release, however many files need it. */
export function unitSourceKey(s: UnitSource): string {
  return s.from === 'release' ? `release:${s.name}:${s.dir}` : `deb:${s.package}`;
}

/** Debian packages every container deploy may need first: the CA bundle for https downloads and sources. */
export const CA_CERTIFICATES: DebianPackage = { from: 'debian', package: 'ca-certificates' };

/** Samba's file server (smbd.service), from Debian's archive. */
export const SAMBA_PACKAGE: DebianPackage = { from: 'debian', package: 'samba' };

/**
 * Tailscale's own apt repository for Debian 12, as its install docs set it up
 * (https://tailscale.com/kb/1174/install-debian-bookworm and https://tailscale.com/install.sh,
 * read 2026-12-07): keyring bookworm.noarmor.gpg at /usr/share/keyrings, the `stable` channel;
 * the `tailscale` package ships /usr/sbin/tailscaled, /usr/bin/tailscale, /etc/default/tailscaled
 * and tailscaled.service (enabled by its postinst). Not in Debian's archive.
 */
export const TAILSCALE_PACKAGE: AptRepositoryPackage = {
  from: 'apt-repository',
  package: 'tailscale',
  list: '/etc/apt/sources.list.d/tailscale.list',
  line: 'deb [signed-by=/usr/share/keyrings/tailscale-archive-keyring.gpg] https://pkgs.tailscale.com/stable/debian bookworm main',
  keyring: { url: 'https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg', path: '/usr/share/keyrings/tailscale-archive-keyring.gpg' },
};

/**
 * AdGuard Home's release for Linux amd64 (github.com/AdguardTeam/AdGuardHome README, "Automated
 * install", and its releases page, read 2026-12-07): AdGuardHome_linux_amd64.tar.gz holds a
 * folder AdGuardHome/ with the binary; `AdGuardHome -s install` writes
 * /etc/systemd/system/AdGuardHome.service, enables and starts it; `--version` prints
 * "AdGuard Home, version <v>". Not in Debian's archive.
 */
export function adguardRelease(version: string, dir: string, sha256?: string): ReleaseArchive {
  return {
    from: 'release',
    name: 'AdGuard Home',
    version,
    url: `https://github.com/AdguardTeam/AdGuardHome/releases/download/${version}/AdGuardHome_linux_amd64.tar.gz`,
    ...(sha256 ? { sha256 } : {}),
    dir,
    installed: `${dir}/AdGuardHome --version 2>/dev/null | grep -qF 'version ${version}'`,
    unitFile: '/etc/systemd/system/AdGuardHome.service',
    installService: `${dir}/AdGuardHome -s install`,
  };
}
