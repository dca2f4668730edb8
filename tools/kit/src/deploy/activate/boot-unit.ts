import type { RemoteLayout } from '../release/layout.js';
import type { ResolvedTarget } from '../connect/target.js';
import { quote } from '../../shell/quote.js';
import { composeCommand } from './compose-run.js';

/** The unit that starts a host's stack at boot: one per host, so two hosts on one machine keep theirs apart. */
export function bootUnitName(host: string): string {
  return `homelab-${host.replace(/[^A-Za-z0-9:_.-]/g, '_')}.service`;
}

/**
 * The stack's boot unit. After a power loss dockerd alone starts the containers, by their restart
 * policy and in no order of the compose file: it restores each container on its own
 * (moby daemon/daemon.go restore(): only legacy links are waited for), so a service with
 * `network_mode: service:gluetun` that starts before gluetun fails ("cannot join network of a non
 * running container") and is not tried again. Seen in the twin: qBittorrent Exited (255) after
 * vm-media's reboot. This unit runs, once dockerd is up, the current release's
 * `compose up -d --no-recreate`: compose starts what is still down in depends_on order (waiting for
 * a dependency's health where the file says so) and recreates nothing. systemd.service(5): a
 * oneshot with RemainAfterExit stays active; [Install] WantedBy=multi-user.target is the link
 * `systemctl enable` makes, which boot follows.
 */
export function bootUnit(t: ResolvedTarget, layout: RemoteLayout, host: string, project: string, composeFiles: readonly string[]): string {
  const up = composeCommand(t, layout, project, composeFiles, ['up', '-d', '--no-recreate']);
  return [
    '[Unit]',
    `Description=homelab: start ${host}'s stack (${project}) in its compose order after dockerd restored its containers`,
    'Requires=docker.service',
    'After=docker.service network-online.target',
    'Wants=network-online.target',
    `ConditionPathExists=${layout.current}`,
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `TimeoutStartSec=${Math.max(t.healthTimeoutSeconds, 60)}`,
    // systemd's own quoting: the whole line is one argument of sh -c (single quotes escaped for systemd).
    `ExecStart=/bin/sh -c ${systemdQuote(up)}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** One word for an Exec line (systemd.service(5), "Command lines"): in double quotes, \\ and " escaped, % (specifiers) and $ (variables) doubled. */
function systemdQuote(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** What deploy says when the machine runs no systemd: its stack will come up at boot only by dockerd's restart policies. */
export const NO_SYSTEMD = '__HL_NO_SYSTEMD';

/**
 * Installs the boot unit when it differs from the one on the machine (daemon-reload then), and
 * enables it (the WantedBy= link) when it is not. On a machine that did not boot with systemd
 * (sd_booted(3): /run/systemd/system is absent) nothing is written and the script prints NO_SYSTEMD.
 */
export function bootUnitScript(unit: string, name: string): string {
  const path = `/etc/systemd/system/${name}`;
  return [
    `if [ ! -d /run/systemd/system ]; then echo ${NO_SYSTEMD}; exit 0; fi`,
    `__hl_unit=$(mktemp)`,
    `printf '%s' ${quote(unit)} > "$__hl_unit"`,
    `if ! cmp -s "$__hl_unit" ${quote(path)}; then install -D -m 0644 "$__hl_unit" ${quote(path)} && systemctl daemon-reload || { rm -f "$__hl_unit"; exit 1; }; fi`,
    `rm -f "$__hl_unit"`,
    `systemctl is-enabled --quiet ${quote(name)} || systemctl enable ${quote(name)}`,
  ].join('\n');
}
