import { describe, expect, it } from 'vitest';
import { findService, labServices } from '../src/operate/services.js';
import { containerStatuses, deploymentStatuses, unitStatuses } from '../src/operate/ps.js';
import { execCommand, logsCommand, parseSince, restartCommand } from '../src/operate/service-commands.js';
import { serviceReach } from '../src/operate/reach.js';
import { labMachines, type DeployRequest } from '../src/internal.js';
import { realLab } from './fixtures.js';

const find = (ref: string) => findService(realLab, ref);
const request = (host: string): DeployRequest => ({ root: '/nowhere', lab: realLab, host: labMachines(realLab).find((m) => m.name === host)!, hostDir: '/nowhere', env: {} });

describe('the services homelab ps, logs, exec and restart reach', () => {
  it('are every compose service, k3s deployment and daemon of the lab, each where the model puts it', () => {
    const all = labServices(realLab);
    expect(all.find((s) => s.host === 'vm-media' && s.service === 'sonarr')).toMatchObject({ kind: 'container', image: expect.stringMatching(/sonarr/) });
    expect(all.find((s) => s.host === 'vm-dev' && s.service === 'registry')).toMatchObject({ kind: 'kubernetes', namespace: expect.any(String) });
    const units = all.filter((s) => s.kind === 'unit').map((s) => `${s.host}/${s.service} ${s.kind === 'unit' ? `${s.unit} ${s.on}` : ''}`);
    expect(units).toEqual(expect.arrayContaining([expect.stringMatching(/^lxc-dns\/\S+ AdGuardHome\.service guest$/), expect.stringMatching(/^lxc-vpn\/\S+ tailscaled\.service guest$/), expect.stringMatching(/^lxc-smb\/\S+ smbd\.service guest$/), expect.stringMatching(/^lxc-smb\/\S+ nfs-server\.service node$/), expect.stringMatching(/^pve\/\S+ prometheus-node-exporter\.service guest$/)]));
  });

  it('are named host/service, or by a name only one host has; anything else says what the lab has', () => {
    expect(find('vm-media/sonarr')).toMatchObject({ host: 'vm-media', service: 'sonarr' });
    expect(find('sonarr')).toMatchObject({ host: 'vm-media', service: 'sonarr' });
    expect(() => find('sonar')).toThrow('the lab has no service "sonar". Did you mean "sonarr"?');
    expect(() => find('vm-medi/sonarr')).toThrow('the lab has no host "vm-medi". Did you mean "vm-media"?');
    expect(() => find('vm-media/radar')).toThrow(/vm-media has no service "radar"\. Did you mean "radarr"\? Its services: .*sonarr/);
    const exporter = labServices(realLab).filter((s) => s.service === 'node-exporter');
    if (exporter.length > 1) expect(() => find('node-exporter')).toThrow(/"node-exporter" runs on .+, .+ and .+: name one, e\.g\. \S+\/node-exporter\./);
  });
});

describe('how a command reaches a service', () => {
  it('a VM over SSH, as it is; an LXC daemon through its node with pct exec; NFS on the node itself', () => {
    const vm = serviceReach(request('vm-media'), find('vm-media/sonarr'));
    expect([vm.target.name, vm.prefix]).toEqual(['vm-media', []]);
    const dns = labServices(realLab).find((s) => s.host === 'lxc-dns' && s.kind === 'unit' && s.unit === 'AdGuardHome.service')!;
    const lxc = serviceReach(request('lxc-dns'), dns);
    expect([lxc.target.name, lxc.prefix]).toEqual(['pve', ['pct', 'exec', '111', '--']]);
    const nfs = labServices(realLab).find((s) => s.host === 'lxc-smb' && s.kind === 'unit' && s.on === 'node')!;
    expect(serviceReach(request('lxc-smb'), nfs).prefix).toEqual([]);
    expect(serviceReach(request('lxc-smb'), nfs).target.name).toBe('pve');
  });

  it('logs: docker logs of the compose project\'s container, the unit\'s journal in the container, kubectl logs', () => {
    const vm = serviceReach(request('vm-media'), find('vm-media/sonarr'));
    const c = logsCommand(vm, 'docker', find('vm-media/sonarr'), { follow: true, since: '10m', tail: 20 });
    expect(c).toContain("docker ps -aq --filter label=com.docker.compose.project=vm-media --filter label=com.docker.compose.service=sonarr --filter label=com.docker.compose.oneoff=False | head -n 1");
    expect(c).toContain('exec docker logs --follow --since 10m --tail 20 "$id"');
    const dns = labServices(realLab).find((s) => s.host === 'lxc-dns' && s.kind === 'unit' && s.unit === 'AdGuardHome.service')!;
    expect(logsCommand(serviceReach(request('lxc-dns'), dns), 'docker', dns, { since: '2h' })).toBe('pct exec 111 -- journalctl --no-pager -u AdGuardHome.service --since -2h -n all');
    expect(logsCommand(serviceReach(request('lxc-dns'), dns), 'docker', dns, {})).toBe('pct exec 111 -- journalctl --no-pager -u AdGuardHome.service -n 100');
    const reg = find('vm-dev/registry');
    expect(logsCommand(serviceReach(request('vm-dev'), reg), 'docker', reg, { since: '30s' })).toMatch(/^k3s kubectl logs -n \S+ deployment\/registry --since=30s$/);
  });

  it('exec and restart alike; exec needs a command', () => {
    const s = find('vm-media/sonarr');
    const vm = serviceReach(request('vm-media'), s);
    expect(execCommand(vm, 'docker', s, ['ls', '-l', '/config dir'], { stdin: true, tty: false })).toContain(`exec docker exec -i "$id" ls -l '/config dir'`);
    expect(execCommand(vm, 'docker', s, ['sh'], { stdin: true, tty: true })).toContain('exec docker exec -i -t "$id" sh');
    expect(() => execCommand(vm, 'docker', s, [], { stdin: false, tty: false })).toThrow('name the command to run in vm-media/sonarr after --');
    expect(restartCommand(vm, 'docker', s)).toContain('exec docker restart "$id"');
    const dns = labServices(realLab).find((x) => x.host === 'lxc-dns' && x.kind === 'unit' && x.unit === 'AdGuardHome.service')!;
    expect(restartCommand(serviceReach(request('lxc-dns'), dns), 'docker', dns)).toBe('pct exec 111 -- systemctl restart AdGuardHome.service');
    expect(execCommand(serviceReach(request('lxc-dns'), dns), 'docker', dns, ['cat', '/etc/resolv.conf'], { stdin: false, tty: false })).toBe('pct exec 111 -- cat /etc/resolv.conf');
  });

  it('--since takes a duration only', () => {
    expect(parseSince('90s')).toEqual({ amount: 90, unit: 's' });
    for (const bad of ['1d', '10', 'yesterday', '0m', '-5m']) expect(() => parseSince(bad), bad).toThrow('--since takes a duration such as 30s, 10m or 2h');
  });
});

describe('what ps makes of what the host says', () => {
  const web = (service: string, image = 'busybox:1') => ({ kind: 'container' as const, host: 'vm-x', service, image });

  it('containers: running and healthy from the pinned image is ok; anything else says why', () => {
    const out = [
      'a|running|healthy|2026-12-07T10:00:00.123456789Z|busybox:1|0',
      'b|exited||2026-12-07T10:00:00Z|busybox:1|3',
      'c|running|starting|2026-12-07T10:00:00Z|busybox:2|0',
      'stray|running||2026-12-07T10:00:00Z|busybox:1|0',
      'once|exited||2026-12-07T10:00:00Z|busybox:1|0|0|no',
      'crashed|exited||2026-12-07T10:00:00Z|busybox:1|0|1|no',
    ].join('\n');
    const rows = containerStatuses([web('a'), web('b'), web('c'), web('d'), web('once'), web('crashed')], out, 'vm-x');
    expect(rows.map((r) => [r.service, r.state, r.ok, r.problem ?? ''])).toEqual([
      ['a', 'running', true, ''],
      ['b', 'exited', false, 'its container is exited'],
      ['c', 'running', false, 'its healthcheck says starting; it runs busybox:2, the model pins busybox:1'],
      ['d', 'missing', false, 'no container'],
      ['once', 'completed', true, ''],
      ['crashed', 'exited', false, 'its container is exited'],
      ['stray', 'running', false, 'the model has no such service on this host (left by hand, or by an older release)'],
    ]);
    expect(rows[0]).toMatchObject({ since: '2026-12-07T10:00:00Z', restarts: 0, health: 'healthy' });
    expect(rows[1]!.since).toBeUndefined();
  });

  it('units: active is ok; failed, inactive and not installed are not', () => {
    const units = ['a.service', 'b.service', 'c.service'].map((unit) => ({ kind: 'unit' as const, host: 'lxc-x', service: unit.slice(0, 1), unit, on: 'guest' as const }));
    const out = [
      'Id=a.service\nLoadState=loaded\nActiveState=active\nSubState=running\nActiveEnterTimestamp=@1765101600\nNRestarts=2',
      'Id=b.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nActiveEnterTimestamp=\nNRestarts=5',
      'Id=c.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nActiveEnterTimestamp=\nNRestarts=0',
    ].join('\n\n');
    expect(unitStatuses(units, out).map((r) => [r.service, r.state, r.ok, r.problem ?? '', r.since ?? '', r.restarts])).toEqual([
      ['a', 'active (running)', true, '', '2025-12-07T10:00:00Z', 2],
      ['b', 'failed', false, 'b.service is failed', '', 5],
      ['c', 'missing', false, 'c.service is not installed', '', undefined],
    ]);
  });

  it('deployments: all replicas ready from the pinned image', () => {
    const d = (service: string) => ({ kind: 'kubernetes' as const, host: 'vm-x', service, image: 'registry:3', namespace: 'homelab' });
    const rows = deploymentStatuses([d('a'), d('b'), d('c')], 'a|1|1|registry:3|2026-12-07T10:00:00Z\nb||1|registry:3|2026-12-07T10:00:00Z\n');
    expect(rows.map((r) => [r.service, r.state, r.health ?? '', r.ok])).toEqual([
      ['a', 'running', '1/1 ready', true],
      ['b', 'not ready', '0/1 ready', false],
      ['c', 'missing', '', false],
    ]);
  });
});
