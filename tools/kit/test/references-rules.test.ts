import { describe, expect, it } from 'vitest';
import { secret, validateLab, type Lab, type ServiceDef } from '../src/index.js';
import { behind, changed, gateway, labWith, realLab, web } from './fixtures.js';
import { withService } from './mutate.js';

// Secrets in disguise, and references checked against what declares them: each row breaks one
// and names the finding, at the declaration that is wrong.
const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
const withWeb = (change: Record<string, unknown>): ServiceDef[] => [gateway, behind, changed(web, change)];

const cases: { name: string; services: ServiceDef[]; code: string; path: string }[] = [
  { name: 'a database URL with its password', services: withWeb({ environment: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' } }), code: 'url-credential', path: 'vm-dev/web/environment.DATABASE_URL' },
  { name: 'a password in a URL of the command', services: withWeb({ command: ['--upstream', 'https://admin:s3cret@192.168.0.20/api'] }), code: 'url-credential', path: 'vm-dev/web/command[1]' },
  { name: 'a password in a URL of the healthcheck', services: withWeb({ healthcheck: { test: ['CMD', 'curl', '-f', 'http://admin:admin@localhost/health'] } }), code: 'url-credential', path: 'vm-dev/web/healthcheck.test[3]' },
  { name: 'a password in a URL of a label', services: withWeb({ labels: { 'backup.target': 'sftp://backup:pw1234@nas/backups' } }), code: 'url-credential', path: 'vm-dev/web/labels.backup.target' },
  { name: 'a literal under *_PASS', services: withWeb({ environment: { DB_PASS: 'hunter2' } }), code: 'inline-secret', path: 'vm-dev/web/environment.DB_PASS' },
  { name: 'a literal under *PASSWD', services: withWeb({ environment: { SMTP_PASSWD: 'hunter2' } }), code: 'inline-secret', path: 'vm-dev/web/environment.SMTP_PASSWD' },
  { name: 'a literal under *_TOKEN', services: withWeb({ environment: { GITHUB_TOKEN: 'ghp_0123456789' } }), code: 'inline-secret', path: 'vm-dev/web/environment.GITHUB_TOKEN' },
  { name: 'a literal under *_KEY', services: withWeb({ environment: { APP_KEY: 'base64:abcdef0123456789' } }), code: 'inline-secret', path: 'vm-dev/web/environment.APP_KEY' },
  { name: 'a numeric password', services: withWeb({ environment: { PIN_PASS: 1234 } }), code: 'inline-secret', path: 'vm-dev/web/environment.PIN_PASS' },
  { name: 'a path to a secret the service does not mount', services: withWeb({ environment: { DB_PASSWORD_FILE: '/run/secrets/db_password' } }), code: 'secret-undeclared', path: 'vm-dev/web/environment.DB_PASSWORD_FILE' },
  { name: 'a metrics port the service does not declare', services: withWeb({ metrics: { port: 9113 } }), code: 'metrics-port-undeclared', path: 'vm-dev/web/metrics.port' },
  { name: 'a published port nothing listens on', services: withWeb({ listen: [8080] }), code: 'port-target-unbound', path: 'vm-dev/web/ports[0]' },
  { name: 'a lab address the plan gives to nothing', services: withWeb({ environment: { UPSTREAM: 'http://192.168.0.77:8080' } }), code: 'address-unknown', path: 'vm-dev/web/environment.UPSTREAM' },
  { name: 'a resolver the plan does not have', services: withWeb({ dns: ['192.168.0.53'] }), code: 'address-unknown', path: 'vm-dev/web/dns[0]' },
  { name: 'an extra host at an address outside the plan', services: withWeb({ extraHosts: ['nas:192.168.0.40'] }), code: 'address-unknown', path: 'vm-dev/web/extraHosts[0]' },
  { name: 'two reverse proxies', services: [gateway, behind, changed(web, { role: 'reverse-proxy' }), changed(web, { name: 'web2', role: 'reverse-proxy', ports: [] })], code: 'role-duplicate', path: 'vm-dev/web2/role' },
];

describe('secrets in disguise and references', () => {
  it.each(cases)('$name -> $code at $path', ({ services, code, path }) => {
    const found = errors(labWith(services));
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(20);
  });

  // Only these rules' findings (and inline-secret's): other rules judge the fixture on their own.
  const ours = new Set([...cases.map((c) => c.code), 'inline-secret']);

  it.each([
    ['a URL with a user and no password, or with a ${VAR} compose fills in', withWeb({ environment: { REPO: 'https://git@example.org/x.git', DB_URL: 'postgres://app:${DB_PASSWORD}@db/app' } })],
    ['public keys, *_FILE paths and a mounted secret\'s path', withWeb({ secrets: [secret('db_password')], environment: { SSH_PUBLIC_KEY: 'ssh-ed25519 AAAA', DB_PASS_FILE: '/run/secrets/db_password', SORT_KEY_FILE: '/x' } })],
    ['plan addresses, the gateway, and the subnet as a CIDR', withWeb({ environment: { UPSTREAM: 'http://192.168.0.20:9090', ROUTER: '192.168.0.1', LAN: '192.168.0.0/24', OUTSIDE: '10.1.2.3' } })],
  ])('allows %s', (_name, services) => {
    expect(errors(labWith(services)).filter((f) => ours.has(f.code))).toEqual([]);
  });

  it('blames the route that borrows another service\'s hostname, not the service that owns it', () => {
    const lab = withService(realLab, 'vm-apps', 'vaultwarden', (s) => ({ ...s, route: { ...s.route!, host: 'grafana' } }));
    expect(errors(lab).filter((f) => f.code === 'route-host-duplicate').map((f) => f.path)).toEqual(['vm-apps/vaultwarden/route.host']);
  });

  it('names both declarations of a role the lab has once, pointing at the second', () => {
    const lab = withService(realLab, 'vm-media', 'jellyfin', { role: 'metrics-store' });
    const found = errors(lab).filter((f) => f.code === 'role-duplicate');
    expect(found.map((f) => f.path)).toEqual(['vm-media/jellyfin/role']);
    expect(found[0]!.message).toContain('vm-infra/prometheus');
    expect(found[0]!.message).toContain('vm-media/jellyfin');
  });
});
