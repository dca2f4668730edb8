import type { Manifest } from '../../render/artifact.js';

/**
 * The units among `changes` that deploy itself installs as unit files (/etc/systemd/system/<unit>,
 * restarted by name: the syncoid, pool-sync and zfs-ages timers). A restart runs a unit until the
 * next boot; only `systemctl enable` (its [Install] WantedBy= link) makes boot start it again, so
 * deploy enables each before restarting it. Enabling an enabled unit changes nothing.
 */
export function unitsToEnable(changes: readonly Manifest['artifacts'][number][]): string[] {
  return [...new Set(changes.flatMap((a) => (a.install?.restart && a.install.path === `/etc/systemd/system/${a.install.restart}` ? [a.install.restart] : [])))].sort();
}
