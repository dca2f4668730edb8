import { describe, expect, it } from 'vitest';
import { secret, sharedSecret, validateLab, type Lab, type ServiceDef } from '../src/internal.js';
import { behind, changed, gateway, labWith, realLab, web } from './fixtures.js';

const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');

describe('the base fixture and the real lab', () => {
  it('have no errors', () => {
    expect(errors(labWith([gateway, behind, web]))).toEqual([]);
    expect(errors(realLab)).toEqual([]);
  });
});

// Each row breaks one rule and names the one finding it must produce.
const cases: { name: string; services: ServiceDef[]; extra?: object; code: string; path: string }[] = [
  { name: 'ports behind a gateway', services: [gateway, changed(behind, { ports: [{ target: 8080, published: 9000 }] }), web], code: 'network-mode-conflict', path: 'vm-dev/behind/ports' },
  { name: 'hostname behind a gateway', services: [gateway, changed(behind, { hostname: 'x' }), web], code: 'network-mode-conflict', path: 'vm-dev/behind/hostname' },
  { name: 'dns behind a gateway', services: [gateway, changed(behind, { dns: ['1.1.1.1'] }), web], code: 'network-mode-conflict', path: 'vm-dev/behind/dns' },
  { name: 'extra_hosts behind a gateway', services: [gateway, changed(behind, { extraHosts: ['a:1.2.3.4'] }), web], code: 'network-mode-conflict', path: 'vm-dev/behind/extraHosts' },
  { name: 'mac_address behind a gateway', services: [gateway, changed(behind, { macAddress: '02:42:ac:11:00:02' }), web], code: 'network-mode-conflict', path: 'vm-dev/behind/macAddress' },
  { name: 'networks behind a gateway', services: [gateway, changed(behind, { networks: ['backend'] })], extra: { networks: { backend: {} } }, code: 'network-mode-conflict', path: 'vm-dev/behind/networks' },
  { name: 'gateway not in the stack', services: [behind, web], code: 'network-mode-unknown-service', path: 'vm-dev/behind/networkMode' },
  { name: 'container: names no container', services: [gateway, changed(behind, { networkMode: { container: 'vpn' }, dependsOn: [] }), web], code: 'network-mode-unknown-service', path: 'vm-dev/behind/networkMode' },
  { name: 'two services publish one host port', services: [gateway, behind, changed(web, { ports: [{ target: 80, published: 8080 }] })], code: 'port-conflict', path: 'vm-dev/web/ports[0]' },
  { name: 'a port bound to every address clashes with the LAN one', services: [gateway, behind, changed(web, { ports: [{ target: 80, published: 8080, bind: 'all' }] })], code: 'port-conflict', path: 'vm-dev/web/ports[0]' },
  { name: 'a range overlapping a port', services: [gateway, behind, changed(web, { ports: [{ target: '8070-8090', published: '8070-8090' }] })], code: 'port-conflict', path: 'vm-dev/web/ports[0]' },
  { name: 'an impossible port', services: [gateway, behind, changed(web, { ports: [{ target: 70000 }] })], code: 'port-invalid', path: 'vm-dev/web/ports[0]' },
  { name: 'ranges of unequal length', services: [gateway, behind, changed(web, { ports: [{ target: '80-81', published: '9000-9005' }] })], code: 'port-invalid', path: 'vm-dev/web/ports[0]' },
  { name: 'two services behind one gateway on one port', services: [gateway, behind, changed(behind, { name: 'behind2' }), web], code: 'listen-conflict', path: 'vm-dev/behind2/listen[0]' },
  { name: 'a service behind the gateway on the gateway\'s own port', services: [gateway, changed(behind, { listen: [8000] }), web], code: 'listen-conflict', path: 'vm-dev/behind/listen[0]' },
  { name: 'undeclared named volume', services: [gateway, behind, changed(web, { volumes: [{ volume: 'cache', target: '/cache' }] })], code: 'undeclared-volume', path: 'vm-dev/web/volumes[0]' },
  { name: 'undeclared network', services: [gateway, behind, changed(web, { networks: ['front'] })], code: 'undeclared-network', path: 'vm-dev/web/networks[0]' },
  { name: 'duplicate service', services: [gateway, behind, web, web], code: 'duplicate-service', path: 'vm-dev/web/name' },
  { name: 'depends on a missing service', services: [gateway, behind, changed(web, { dependsOn: [{ service: 'db' }] })], code: 'depends-on-unknown', path: 'vm-dev/web/dependsOn[0]' },
  { name: 'a depends_on cycle', services: [changed(gateway, { dependsOn: [{ service: 'web' }] }), behind, changed(web, { dependsOn: [{ service: 'gateway' }] })], code: 'depends-on-cycle', path: 'vm-dev/gateway/dependsOn[0]' },
  { name: 'a cycle through network_mode', services: [changed(gateway, { dependsOn: [{ service: 'behind' }] }), changed(behind, { dependsOn: [] }), web], code: 'depends-on-cycle', path: 'vm-dev/behind/networkMode' },
  { name: 'an image without a tag', services: [gateway, behind, changed(web, { image: 'nginx' })], code: 'image-tag-missing', path: 'vm-dev/web/image' },
  { name: 'an image on latest', services: [gateway, behind, changed(web, { image: 'nginx:latest' })], code: 'image-tag-missing', path: 'vm-dev/web/image' },
  { name: 'a registry port is not a tag', services: [gateway, behind, changed(web, { image: 'registry.lan:5000/nginx' })], code: 'image-tag-missing', path: 'vm-dev/web/image' },
  { name: 'a malformed digest', services: [gateway, behind, changed(web, { image: 'nginx:1.27@sha256:abc' })], code: 'image-tag-missing', path: 'vm-dev/web/image' },
  { name: 'a password inline', services: [gateway, behind, changed(web, { environment: { DB_PASSWORD: 'hunter2' } })], code: 'inline-secret', path: 'vm-dev/web/environment.DB_PASSWORD' },
  { name: 'an API key inline', services: [gateway, behind, changed(web, { environment: { SONARR_API_KEY: 'abc123' } })], code: 'inline-secret', path: 'vm-dev/web/environment.SONARR_API_KEY' },
  { name: 'a bad secret name', services: [gateway, behind, changed(web, { secrets: [secret('Bad Name')] })], code: 'secret-name-invalid', path: 'vm-dev/web/secrets' },
  { name: 'a service without image facts', services: [gateway, behind, changed(web, { imageFacts: undefined })], code: 'image-facts-missing', path: 'vm-dev/web/imageFacts' },
  { name: 'an image user by name', services: [gateway, behind, changed(web, { imageFacts: { ...web.imageFacts, user: 'nginx' } })], code: 'image-facts-invalid', path: 'vm-dev/web/imageFacts.user' },
  { name: 'image facts checked nowhere', services: [gateway, behind, changed(web, { imageFacts: { ...web.imageFacts, source: 'I think so' } })], code: 'image-facts-invalid', path: 'vm-dev/web/imageFacts.source' },
  { name: 'a secret reader by name', services: [gateway, behind, changed(web, { user: 'www-data', secrets: [secret('web_key')] })], code: 'secret-reader-unknown', path: 'vm-dev/web/user' },
  { name: 'one secret read by two users', services: [changed(gateway, { user: '1000:1000', secrets: [secret('shared_key')] }), behind, changed(web, { user: '33:33', secrets: [secret('shared_key')] })], code: 'secret-readers-differ', path: 'vm-dev/web/secrets' },
  { name: 'a shared secret read outside its group', services: [changed(gateway, { user: '1000:1000', secrets: [sharedSecret('shared_key', { group: 1000 })] }), behind, changed(web, { user: '33:33', secrets: [sharedSecret('shared_key', { group: 1000 })] })], code: 'secret-readers-differ', path: 'vm-dev/web/secrets' },
  { name: 'a healthcheck on a port nobody listens on', services: [gateway, behind, changed(web, { listen: [80], healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:8080/'] } })], code: 'healthcheck-port-not-listened', path: 'vm-dev/web/healthcheck.test' },
  { name: 'a healthcheck on port 80 by default', services: [gateway, behind, changed(web, { listen: [8081], healthcheck: { test: ['CMD', 'curl', '-f', 'http://127.0.0.1/health'] } })], code: 'healthcheck-port-not-listened', path: 'vm-dev/web/healthcheck.test' },
  { name: 'a healthcheck behind the gateway on a port its namespace lacks', services: [gateway, changed(behind, { healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:9999/ping'] } }), web], code: 'healthcheck-port-not-listened', path: 'vm-dev/behind/healthcheck.test' },
  { name: 'a healthcheck calling what the image lacks', services: [gateway, behind, changed(web, { listen: [80], healthcheck: { test: ['CMD', 'wget', '-q', 'http://localhost/'] } })], code: 'healthcheck-command-not-shipped', path: 'vm-dev/web/healthcheck.test' },
  { name: 'an entrypoint the image lacks', services: [gateway, behind, changed(web, { entrypoint: ['/docker-entrypoint.sh', 'nginx'] })], code: 'entrypoint-not-shipped', path: 'vm-dev/web/entrypoint' },
  { name: 'CMD-SHELL in an image without a shell', services: [changed(gateway, { healthcheck: { test: ['CMD-SHELL', '/gluetun-entrypoint healthcheck'] } }), behind, web], code: 'healthcheck-command-not-shipped', path: 'vm-dev/gateway/healthcheck.test' },
  { name: 'a value the compose schema rejects', services: [gateway, behind, changed(web, { healthcheck: { test: ['CMD', 'true'], interval: 30 } })], code: 'compose-schema', path: 'vm-dev/web/healthcheck/interval' },
];

describe('every rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ services, extra, code, path }) => {
    const found = errors(labWith(services, extra));
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    const finding = found.find((f) => f.code === code && f.path === path)!;
    expect(finding.message.length).toBeGreaterThan(20);
  });
});

describe('what is allowed', () => {
  it('root and one other user may read one secret: root reads any file, the other owns it', () => {
    const ok = [changed(gateway, { secrets: [secret('shared_key')] }), behind, changed(web, { user: '33:33', secrets: [secret('shared_key')] })];
    expect(errors(labWith(ok))).toEqual([]);
  });

  it('users of different uids may share a secret through a declared group they run with', () => {
    const ok = [changed(gateway, { user: '1000:1000', secrets: [sharedSecret('shared_key', { group: 1000 })] }), behind, changed(web, { user: '33:1000', secrets: [sharedSecret('shared_key', { group: 1000 })] })];
    expect(errors(labWith(ok))).toEqual([]);
  });

  it('a healthcheck behind the gateway may ask a port the gateway listens on', () => {
    const ok = changed(behind, { healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:8000/'] } });
    expect(errors(labWith([gateway, ok, web]))).toEqual([]);
  });

  it('secret references and *_FILE paths are not inline secrets', () => {
    // The paths name secrets the service mounts (a path to one it does not is secret-undeclared).
    const ok = changed(web, { secrets: [secret('db')], environment: { DB_PASSWORD_FILE: '/run/secrets/db', ADMIN_TOKEN: secret('admin_token') } });
    expect(errors(labWith([gateway, behind, ok]))).toEqual([]);
  });

  it('an htpasswd realm and a *_PATH to a secret file are not inline secrets', () => {
    const ok = changed(web, { secrets: [secret('admin')], environment: { REGISTRY_AUTH_HTPASSWD_REALM: 'homelab registry', ADMIN_PASSWORD_PATH: '/run/secrets/admin' } });
    expect(errors(labWith([gateway, behind, ok]))).toEqual([]);
  });

  it('the same port on loopback and on the LAN address does not clash', () => {
    const ok = changed(web, { ports: [{ target: 80, published: 8080, bind: 'loopback' }] });
    expect(errors(labWith([gateway, behind, ok]))).toEqual([]);
  });

  it('the same port over tcp and udp does not clash', () => {
    const ok = changed(web, { ports: [{ target: 80, published: 8080, protocol: 'udp', exposure: 'lan', reason: 'a udp service' }] });
    expect(errors(labWith([gateway, behind, ok]))).toEqual([]);
  });

  it('a tag-only image is a warning, not an error', () => {
    const found = validateLab(labWith([gateway, behind, web]));
    expect(found.filter((f) => f.code === 'image-digest-missing').map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
  });
});
