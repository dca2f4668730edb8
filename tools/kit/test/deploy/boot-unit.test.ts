import { describe, expect, it } from 'vitest';
import { bootUnit, bootUnitName, bootUnitScript, NO_SYSTEMD, remoteLayout, resolveTarget } from '../../src/internal.js';

/** The unit's one ExecStart line, read back the way systemd reads a double-quoted word (systemd.service(5), "Command lines"). */
function execStart(unit: string): string[] {
  const line = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!).replace(/\$\$/g, '$').replace(/%%/g, '%'));
}

describe('the boot unit: compose starts the stack in its own order after dockerd restored it', () => {
  const t = resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', {});
  const layout = remoteLayout(t, 'vm-media');

  it('runs after docker.service, needs it, and boot starts it (multi-user.target)', () => {
    const unit = bootUnit(t, layout, 'vm-media', 'media', ['compose.yaml']);
    expect(unit).toMatch(/^Requires=docker\.service$/m);
    expect(unit).toMatch(/^After=docker\.service/m);
    expect(unit).toMatch(/^Type=oneshot$/m);
    expect(unit).toMatch(/^\[Install\]\nWantedBy=multi-user\.target$/m);
    expect(unit).toMatch(/^ConditionPathExists=\/opt\/homelab\/vm-media\/current$/m);
    expect(bootUnitName('vm-media')).toBe('homelab-vm-media.service');
  });

  it('its command is the current release\'s compose up, recreating nothing, with the compose the deploy uses', () => {
    const [sh, c, script] = execStart(bootUnit(t, layout, 'vm-media', 'media', ['compose.yaml']));
    expect([sh, c]).toEqual(['/bin/sh', '-c']);
    expect(script).toBe("cd /opt/homelab/vm-media/current && docker compose -p media --project-directory /opt/homelab/vm-media/current -f /opt/homelab/vm-media/current/compose.yaml up -d --no-recreate");
    const v1 = resolveTarget('vm-media', '192.168.0.22', { composeCommand: 'docker-compose' }, 'ssh', {});
    expect(execStart(bootUnit(v1, remoteLayout(v1, 'vm-media'), 'vm-media', 'media', ['compose.yaml']))[2]).toContain('-f /opt/homelab/vm-media/current/compose.v1.yaml up -d --no-recreate');
  });

  it('keeps a release root with %, $ and quotes one word, as systemd reads it', () => {
    const odd = resolveTarget('vm-media', '192.168.0.22', { releaseRoot: '/srv/100%/$HOME "x"' }, 'ssh', {});
    const words = execStart(bootUnit(odd, remoteLayout(odd, 'vm-media'), 'vm-media', 'media', ['compose.yaml']));
    expect(words).toHaveLength(3);
    expect(words[2]).toContain(`cd '/srv/100%/$HOME "x"/vm-media/current'`);
  });

  it('writes nothing on a machine that did not boot with systemd, and only a changed unit reloads systemd', () => {
    const script = bootUnitScript('[Unit]\n', 'homelab-vm-media.service');
    expect(script.split('\n')[0]).toBe(`if [ ! -d /run/systemd/system ]; then echo ${NO_SYSTEMD}; exit 0; fi`);
    expect(script).toMatch(/if ! cmp -s "\$__hl_unit" \/etc\/systemd\/system\/homelab-vm-media\.service; then install -D -m 0644 .* && systemctl daemon-reload/);
    expect(script).toMatch(/systemctl is-enabled --quiet homelab-vm-media\.service \|\| systemctl enable homelab-vm-media\.service$/);
  });
});
