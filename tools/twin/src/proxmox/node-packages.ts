import { cpSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { requireTool, run } from '@homelab/testing';

/**
 * Debian packages a fresh Proxmox VE 8 node does not have, and deploy installs: sanoid (sanoid,
 * syncoid, sanoid.timer) and nfs-kernel-server (nfs-server.service, exportfs). Neither is among
 * the dependencies of pve-manager (debian/control, github.com/proxmox/pve-manager stable-8 and
 * master, read 2026-12-07) nor of qemu-server (stable-bookworm debian/control); libpve-storage-perl
 * brings only the NFS client (nfs-common). The machine the twin runs on has both installed (the
 * system tier's packages): their files are hidden from the node until its `apt-get install`
 * copies them in, exactly the files the package ships (`dpkg -L`, docs left out).
 */
export const FRESH_NODE_LACKS = ['sanoid', 'nfs-kernel-server'] as const;

export interface StagedPackage {
  readonly version: string;
  /** A folder holding the package's files at their paths (what `apt-get install` copies into the node's root). */
  readonly root: string;
  /** Each file the package ships, by its path on the node (/lib, /sbin resolved: merged /usr). */
  readonly files: readonly string[];
}

/** A path with its folder resolved (/lib/systemd/system/x -> /usr/lib/systemd/system/x), the file itself not followed. */
function canonical(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return path;
  }
}

/** Copies each package's files (as `dpkg -L` lists them on this machine) into `<dir>/<package>/`. */
export function stagePackages(dir: string, names: readonly string[]): Record<string, StagedPackage> {
  const out: Record<string, StagedPackage> = {};
  for (const name of names) {
    const status = run(requireTool('dpkg-query'), ['-W', '-f=${Status}\t${Version}', name]);
    const [state, version] = status.stdout.split('\t');
    if (status.code !== 0 || state !== 'install ok installed') throw new Error(`twin: the node's ${name} comes from this machine's Debian package, which is not installed (tools/testing/install-system-deps.sh)`);
    const listed = run(requireTool('dpkg-query'), ['-L', name]).stdout.split('\n').filter(Boolean);
    const files = [...new Set(listed.filter((f) => !/^\/usr\/share\/(doc|man)\//.test(f) && !f.startsWith('/var/')).filter((f) => {
      try {
        return !statSync(f).isDirectory();
      } catch {
        return false;
      }
    }).map(canonical))].sort();
    const root = join(dir, name);
    for (const f of files) {
      mkdirSync(join(root, dirname(f)), { recursive: true });
      cpSync(f, join(root, f), { verbatimSymlinks: true, preserveTimestamps: true });
    }
    out[name] = { version: version ?? '', root, files };
  }
  return out;
}
