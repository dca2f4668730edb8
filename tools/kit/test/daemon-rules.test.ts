import { describe, expect, it } from 'vitest';
import { secret, validateLab, type Lab, type ServiceDef } from '../src/index.js';
import { durationMs, sizeBytes } from '../src/common/compose-units.js';
import { behind, changed, gateway, labWith, web } from './fixtures.js';

// What `docker compose` (compose-go) and the daemon (moby) refuse although the compose schema
// accepts it: each row breaks one such check and names the one finding it must produce.
const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
const withWeb = (change: Record<string, unknown>): ServiceDef[] => [gateway, behind, changed(web, change)];
const hc = (change: Record<string, unknown>) => ({ healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost'], ...change } });

const cases: { name: string; services: ServiceDef[]; extra?: object; code: string; path: string }[] = [
  { name: 'a healthcheck test without CMD', services: withWeb(hc({ test: ['curl', '-f', 'http://localhost'] })), code: 'healthcheck-test-invalid', path: 'vm-dev/web/healthcheck.test' },
  { name: 'a healthcheck test with nothing after CMD', services: withWeb(hc({ test: ['CMD'] })), code: 'healthcheck-test-invalid', path: 'vm-dev/web/healthcheck.test' },
  { name: 'CMD-SHELL with a list of arguments', services: withWeb(hc({ test: ['CMD-SHELL', 'curl', '-f', 'http://localhost'] })), code: 'healthcheck-test-invalid', path: 'vm-dev/web/healthcheck.test' },
  { name: 'an interval without a unit', services: withWeb(hc({ interval: '30' })), code: 'duration-invalid', path: 'vm-dev/web/healthcheck.interval' },
  { name: 'a timeout in words', services: withWeb(hc({ timeout: 'ten seconds' })), code: 'duration-invalid', path: 'vm-dev/web/healthcheck.timeout' },
  { name: 'a start period below 1ms', services: withWeb(hc({ startPeriod: '500us' })), code: 'duration-invalid', path: 'vm-dev/web/healthcheck.startPeriod' },
  { name: 'a stop grace period without a unit', services: withWeb({ stopGracePeriod: '90' }), code: 'duration-invalid', path: 'vm-dev/web/stopGracePeriod' },
  { name: 'negative retries', services: withWeb(hc({ retries: -1 })), code: 'healthcheck-retries-invalid', path: 'vm-dev/web/healthcheck.retries' },
  { name: 'service_healthy on a service without a healthcheck', services: [gateway, behind, changed(web, { dependsOn: [{ service: 'gateway' }, { service: behind, condition: 'service_healthy' }] })], code: 'depends-on-no-healthcheck', path: 'vm-dev/web/dependsOn[1]' },
  { name: 'two services waiting on one without a healthcheck: the finding is at that one', services: [changed(gateway, { healthcheck: undefined }), behind, changed(web, { dependsOn: [{ service: gateway, condition: 'service_healthy' }] })], code: 'depends-on-no-healthcheck', path: 'vm-dev/gateway/healthcheck' },
  { name: 'service_healthy on a disabled healthcheck', services: [changed(gateway, { healthcheck: { test: ['NONE'] } }), behind, web], code: 'depends-on-no-healthcheck', path: 'vm-dev/behind/dependsOn[0]' },
  { name: 'two volumes on one target', services: withWeb({ volumes: [...web.volumes, { volume: 'cache', target: '/usr/share/nginx/html/' }] }), extra: { volumes: ['cache'] }, code: 'mount-target-duplicate', path: 'vm-dev/web/volumes[1]' },
  { name: 'a tmpfs over a volume', services: withWeb({ tmpfs: ['/usr/share/nginx/html:size=64m'] }), code: 'mount-target-duplicate', path: 'vm-dev/web/volumes[0]' },
  { name: 'a volume over a secret', services: withWeb({ secrets: [secret('web_key')], volumes: [...web.volumes, { volume: 'keys', target: '/run/secrets/web_key' }] }), extra: { volumes: ['keys'] }, code: 'mount-target-duplicate', path: 'vm-dev/web/volumes[1]' },
  { name: 'a relative mount target', services: withWeb({ volumes: [{ volume: 'cache', target: 'cache' }] }), extra: { volumes: ['cache'] }, code: 'mount-target-invalid', path: 'vm-dev/web/volumes[0]' },
  { name: 'a tmpfs on /', services: withWeb({ tmpfs: ['/'] }), code: 'mount-target-invalid', path: 'vm-dev/web/tmpfs[0]' },
  { name: 'a relative host path', services: withWeb({ volumes: [{ hostPath: 'html', target: '/usr/share/nginx/html', reason: 'x' }] }), code: 'mount-source-invalid', path: 'vm-dev/web/volumes[0]' },
  { name: 'a dataset sub that climbs out of it', services: withWeb({ volumes: [{ ...web.volumes[0], sub: '../../media' }] }), code: 'mount-source-invalid', path: 'vm-dev/web/volumes[0]' },
  { name: 'a volume name the daemon refuses', services: withWeb({ volumes: [{ volume: 'web cache', target: '/cache' }] }), extra: { volumes: ['web cache'] }, code: 'volume-name-invalid', path: 'vm-dev/volumes[0]' },
  { name: 'a memory limit below 6MB', services: withWeb({ memLimit: '4m' }), code: 'memory-limit-too-low', path: 'vm-dev/web/memLimit' },
  { name: 'a memory limit in bytes by mistake', services: withWeb({ memLimit: '512' }), code: 'memory-limit-too-low', path: 'vm-dev/web/memLimit' },
  { name: 'more cpus than the VM has', services: withWeb({ cpus: 4 }), code: 'cpus-invalid', path: 'vm-dev/web/cpus' },
  { name: 'cpus of zero', services: withWeb({ cpus: 0 }), code: 'cpus-invalid', path: 'vm-dev/web/cpus' },
  { name: 'an shm size that is no size', services: withWeb({ shmSize: 'big' }), code: 'shm-size-invalid', path: 'vm-dev/web/shmSize' },
  { name: 'an shm size with two decimal points (go-units refuses it)', services: withWeb({ shmSize: '1.2.3m' }), code: 'shm-size-invalid', path: 'vm-dev/web/shmSize' },
  { name: 'networks on the host network', services: withWeb({ networkMode: 'host', ports: [], networks: ['front'] }), extra: { networks: { front: {} } }, code: 'network-mode-host-conflict', path: 'vm-dev/web/networks' },
  { name: 'a MAC address without a network of its own', services: withWeb({ networkMode: 'none', ports: [], macAddress: '02:42:ac:11:00:02' }), code: 'network-mode-host-conflict', path: 'vm-dev/web/macAddress' },
  { name: 'a hostname over 64 bytes', services: withWeb({ hostname: 'h'.repeat(65) }), code: 'hostname-too-long', path: 'vm-dev/web/hostname' },
  { name: 'a net sysctl on the host network', services: withWeb({ networkMode: 'host', ports: [], sysctls: { 'net.ipv4.ip_forward': 1 } }), code: 'sysctl-invalid', path: 'vm-dev/web/sysctls.net.ipv4.ip_forward' },
  { name: 'a sysctl outside the container\'s namespaces', services: withWeb({ sysctls: { 'vm.max_map_count': 262144 } }), code: 'sysctl-invalid', path: 'vm-dev/web/sysctls.vm.max_map_count' },
  { name: 'kernel.hostname as a sysctl', services: withWeb({ sysctls: { 'kernel/hostname': 'web' } }), code: 'sysctl-invalid', path: 'vm-dev/web/sysctls.kernel/hostname' },
  { name: 'a device the VM does not have', services: withWeb({ devices: ['/dev/dri/renderD128:/dev/dri/renderD128'] }), code: 'device-unavailable', path: 'vm-dev/web/devices[0]' },
  { name: 'a device mapping with a relative path', services: withWeb({ devices: ['net/tun'] }), code: 'device-invalid', path: 'vm-dev/web/devices[0]' },
  { name: 'device permissions that are not rwm', services: withWeb({ devices: ['/dev/net/tun:/dev/net/tun:rx'] }), code: 'device-invalid', path: 'vm-dev/web/devices[0]' },
  { name: 'a capability that does not exist', services: withWeb({ capAdd: ['NET_ADMIN', 'NET_ADMINISTRATOR'] }), code: 'capability-unknown', path: 'vm-dev/web/capAdd[1]' },
  { name: 'a security option the daemon does not know', services: withWeb({ securityOpt: ['no-new-privileges:true', 'selinux=disable'] }), code: 'security-opt-invalid', path: 'vm-dev/web/securityOpt[1]' },
  { name: 'no-new-privileges that is not a boolean', services: withWeb({ securityOpt: ['no-new-privileges=yes'] }), code: 'security-opt-invalid', path: 'vm-dev/web/securityOpt[0]' },
  { name: 'an extra host without an address', services: withWeb({ extraHosts: ['db'] }), code: 'extra-host-invalid', path: 'vm-dev/web/extraHosts[0]' },
  { name: 'an extra host with a name for an address', services: withWeb({ extraHosts: ['db:database.local'] }), code: 'extra-host-invalid', path: 'vm-dev/web/extraHosts[0]' },
  { name: 'a relative working directory', services: withWeb({ workingDir: 'app' }), code: 'working-dir-invalid', path: 'vm-dev/web/workingDir' },
  { name: 'an environment name with a trailing space', services: withWeb({ environment: { 'TZ ': 'Europe/Amsterdam' } }), code: 'env-name-invalid', path: 'vm-dev/web/environment.TZ ' },
];

describe('what docker compose and the daemon refuse', () => {
  it.each(cases)('$name -> $code at $path', ({ services, extra, code, path }) => {
    const found = errors(labWith(services, extra));
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(20);
  });

  it('warns when a service others wait on is checked so seldom that each start waits on it', () => {
    const slow = (g: ServiceDef) => validateLab(labWith([g, behind, web])).filter((f) => f.code === 'depends-on-slow-healthcheck');
    const check = (interval?: string) => changed(gateway, { healthcheck: { test: ['CMD', '/gluetun-entrypoint', 'healthcheck'], ...(interval ? { interval } : {}) } });
    expect(slow(check()).map((f) => [f.severity, f.path])).toEqual([['warning', 'vm-dev/gateway/healthcheck']]);
    expect(slow(check('1m')).map((f) => f.path)).toEqual(['vm-dev/gateway/healthcheck.interval']);
    expect(slow(check('1m'))[0]!.message).toContain('behind waits for gateway to be healthy');
    expect(slow(check('10s'))).toEqual([]);
    // Waited for only until it started: its healthcheck holds nobody up.
    expect(validateLab(labWith([check('1m'), changed(behind, { dependsOn: [{ service: gateway, condition: 'service_started' }] }), web])).filter((f) => f.code === 'depends-on-slow-healthcheck')).toEqual([]);
  });

  it('warns that the host network discards published ports', () => {
    const found = validateLab(labWith(withWeb({ networkMode: 'host', listen: [80] })));
    expect(found.map((f) => [f.severity, f.code, f.path])).toContainEqual(['warning', 'network-mode-host-ports', 'vm-dev/web/ports']);
  });
});

// Only these rules' findings: other rules (image facts, ...) judge the fixture on their own.
const ours = new Set(cases.map((c) => c.code));

describe('what they accept', () => {
  it.each([
    ['CMD-SHELL with one command, durations with units, NONE on a service nobody waits for', withWeb({ ...hc({ test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'], interval: '1m30s', timeout: '1.5s', startPeriod: '0', retries: 0 }), stopGracePeriod: '2m' })],
    ['a tmpfs and volumes on distinct targets, secrets at their own paths', withWeb({ tmpfs: ['/tmp:size=64m'], secrets: [secret('web_key')] })],
    ['limits the daemon takes, sysctls of the container\'s own namespaces', withWeb({ memLimit: '6m', cpus: 2, shmSize: '128mb', sysctls: { 'net.ipv4.ip_unprivileged_port_start': 0, 'net/core/somaxconn': 1024, 'kernel.shmmax': 68719476736, 'fs.mqueue.msg_max': 100 } })],
    ['devices a VM has, capabilities with CAP_ and in lower case', withWeb({ devices: ['/dev/net/tun', '/dev/fuse:/dev/fuse:rwm'], capAdd: ['cap_net_admin', 'SYS_NICE', 'ALL'] })],
    ['security options and extra hosts in every form the daemon reads', withWeb({ securityOpt: ['no-new-privileges:true', 'apparmor=unconfined', 'label=disable', 'seccomp=unconfined'], extraHosts: ['host.docker.internal:host-gateway', 'db=10.0.0.5', 'v6:[::1]'] })],
  ])('%s', (_name, services) => {
    expect(errors(labWith(services)).filter((f) => ours.has(f.code))).toEqual([]);
  });
});

describe('compose value formats', () => {
  it('reads durations as compose-go does', () => {
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    expect(durationMs('0')).toBe(0);
    expect(durationMs('30')).toBeUndefined();
    expect(durationMs('30 s')).toBeUndefined();
    expect(durationMs('')).toBeUndefined();
  });

  it('reads sizes as go-units RAMInBytes does', () => {
    expect(sizeBytes('6m')).toBe(6 * 1024 * 1024);
    expect(sizeBytes('128mb')).toBe(128 * 1024 * 1024);
    expect(sizeBytes('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(sizeBytes('512')).toBe(512);
    expect(sizeBytes('lots')).toBeUndefined();
    // go-units' pattern takes "1.2.3m", and its ParseFloat then refuses it: no size, not NaN bytes.
    expect(sizeBytes('1.2.3m')).toBeUndefined();
  });
});
