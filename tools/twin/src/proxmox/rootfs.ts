import { lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Single-quoted for sh. */
export const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Folders whose mounts below them a node needs (/dev/pts, /dev/shm, cgroups). Every other folder
 * is bound alone: other mounts of the machine (another test's, under /tmp) stay out of the node.
 */
const WITH_SUBMOUNTS = new Set(['/dev', '/proc', '/sys']);

/**
 * Shell text that gives a mount namespace a root of its own at `root` (a fresh tmpfs): the
 * machine's root entry by entry (each directory bind-mounted), except each path of
 * `overrides`, which is the given folder of the twin instead. A parent of an override is rebuilt
 * the same way one level down, so `/var/lib/vz` costs a new /var and /var/lib, not a copy of /var.
 * Paths that do not exist on the machine (/etc/pve, /tank) exist only in this root.
 * Each path of `hide` (a file of the machine: a package the node does not have yet) is left out;
 * its folder is rebuilt, so installing the package later writes into the node's root only.
 * Ends with pivot_root: entering the namespace (nsenter --mount) then lands in this root.
 */
export function hostRootScript(root: string, given: Readonly<Record<string, string>>, hide: readonly string[] = []): string {
  // The node binary that runs the twin's scripts (under /root/.local in CI) stays visible when an override hides its folder.
  const nodeDir = dirname(realpathSync(process.execPath));
  const hidden = Object.keys(given).some((k) => nodeDir.startsWith(`${k}/`)) && !(nodeDir in given);
  const overrides: Readonly<Record<string, string>> = hidden ? { ...given, [nodeDir]: nodeDir } : given;
  const lines = ['mkdir -p ' + sh(root), `mount -t tmpfs -o mode=0755 twin-root ${sh(root)}`];
  const keys = Object.keys(overrides).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  const under = (dir: string, p: string): boolean => p.startsWith(dir === '/' ? '/' : `${dir}/`);
  // Walked only below folders that are not overrides: one with an override inside is rebuilt.
  const leftOut = new Set(hide);
  const rebuilt = (dir: string): boolean => keys.some((k) => under(dir, k)) || hide.some((h) => under(dir, h));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (keys.includes(path) || leftOut.has(path)) continue;
      const target = sh(join(root, path));
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue; // gone since it was listed (another test's temp folder under /tmp)
      }
      if (st.isSymbolicLink()) lines.push(`ln -s ${sh(readlinkSync(path))} ${target}`);
      else if (st.isDirectory() && rebuilt(path)) {
        lines.push(`mkdir ${target}`);
        walk(path);
        // Bound only if still there when the namespace is made: another test's temp folder may be gone by then.
      } else if (st.isDirectory()) lines.push(`if [ -d ${sh(path)} ]; then mkdir ${target}; mount ${WITH_SUBMOUNTS.has(path) ? '--rbind' : '--bind'} ${sh(path)} ${target}; fi`);
      else if (st.isFile()) lines.push(`if [ -f ${sh(path)} ]; then touch ${target}; mount --bind ${sh(path)} ${target}; fi`);
    }
  };
  walk('/');
  for (const k of keys) lines.push(`mkdir -p ${sh(join(root, k))}`, `mount --rbind ${sh(overrides[k]!)} ${sh(join(root, k))}`);
  // The root is itself under a folder bound above (/tmp): that copy of it is not wanted there.
  lines.push(`if mountpoint -q ${sh(join(root, root))}; then umount -l ${sh(join(root, root))}; fi`);
  lines.push(...pivotLines(root));
  return lines.join('\n');
}

/** pivot_root into `root` (a mount point) and drop the old root from the namespace. */
export function pivotLines(root: string): string[] {
  return [`cd ${sh(root)}`, 'mkdir -p .twin-old-root', 'pivot_root . .twin-old-root', 'cd /', 'umount -l /.twin-old-root', 'rmdir /.twin-old-root'];
}
