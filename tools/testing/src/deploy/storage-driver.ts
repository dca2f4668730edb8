/**
 * The storage driver of every Docker engine the tests and the twin start. overlay2 (what Debian's
 * docker.io picks on ext4 and what a lab VM runs): a container shares its image's layers and
 * writes only its own changes. vfs copied every image whole into every container, which made the
 * twin's image imports and container starts the machine's largest I/O and kernel time on two
 * cores (.ci/run's stage lines). HOMELAB_TEST_STORAGE_DRIVER=vfs brings vfs back on a file system
 * where overlay2 cannot run (overlay on overlay).
 */
export function storageDriverFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return [`--storage-driver=${env.HOMELAB_TEST_STORAGE_DRIVER ?? 'overlay2'}`];
}
