import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from './namespaces.js';

/** `HOMELAB_TWIN_TMPFS=0` keeps a twin's files on the machine's disk. */
export const TMPFS_ENV = 'HOMELAB_TWIN_TMPFS';

/** A twin's own folder: every file it makes (pools, guests' disks, Docker's layers), removed as a whole. */
export interface TwinScratch {
  readonly dir: string;
  /** Whether the folder is a tmpfs of its own (or, if mounting one failed or was turned off, the machine's disk). */
  readonly inMemory: boolean;
  remove(): void;
}

/**
 * A new folder for a twin, on a tmpfs of its own: what the twin's guests write is their disks
 * (the pool's files, the containers' root file systems, Docker's layers), and on this shared
 * machine's disk each fsync waited seconds (postgres's first checkpoint in vm-apps synced for
 * 14 s; dpkg syncs every file it unpacks). A real node's guests have their own disks; the twin's
 * in memory only stop its guests from waiting on each other's syncs. Nothing of what the probes
 * read changes: ZFS, overlay2 and the guests see the same file system calls.
 */
export function makeTwinScratch(prefix: string): TwinScratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const inMemory = process.env[TMPFS_ENV] !== '0' && execSync(['mount', '-t', 'tmpfs', '-o', 'mode=0700', `homelab-${prefix.replace(/-$/, '')}`, dir]).code === 0;
  return {
    dir,
    inMemory,
    remove() {
      if (inMemory) execSync(['umount', '-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
