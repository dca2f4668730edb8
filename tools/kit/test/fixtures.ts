import { defineHost, defineService, defineVm, loadLab, secret, type DatasetRef, type HostDef, type Lab, type ServiceDef } from '../src/index.js';
import { workspaceRoot } from './support.js';

/** The real lab, loaded as the command loads it (the kit does not depend on host packages). */
export const realLab: Lab = (await loadLab(workspaceRoot)).lab;
const facts = realLab.facts;
const zfs = { dataset: (name: string): DatasetRef => ({ kind: 'dataset', pool: facts.zfs.pool, name }) };

/** The real lab's facts with one small host: the base every failing example changes one thing of. */
export const vm = defineVm({
  name: 'vm-dev',
  vmid: 124,
  address: '192.168.0.24',
  cores: 2,
  memoryMiB: 2048,
  diskGiB: 16,
  storage: [zfs.dataset('services/dev')],
  disk: { importFrom: 'local:import/debian-13-genericcloud-amd64.qcow2' },
  cloudInit: { sshKeys: secret('vm_ssh_authorized_keys') },
});

export const gateway = defineService({
  name: 'gateway',
  image: 'qmcgaw/gluetun:v3.41.1',
  imageFacts: { user: '0:0', ships: ['/gluetun-entrypoint'], source: 'https://github.com/qdm12/gluetun/blob/master/Dockerfile' },
  role: 'vpn-gateway',
  ports: [{ target: 8080, exposure: 'lan', reason: 'the test app behind the gateway' }],
  listen: [8000],
  healthcheck: { test: ['CMD', '/gluetun-entrypoint', 'healthcheck'] },
});

export const behind = defineService({
  name: 'behind',
  image: 'lscr.io/linuxserver/sonarr:4.0.19.2979-ls316',
  imageFacts: { user: '0:0', ships: ['curl'], source: 'https://github.com/linuxserver/docker-sonarr/blob/master/Dockerfile' },
  role: 'download',
  networkMode: { service: gateway },
  listen: [8080],
  dependsOn: [{ service: gateway, condition: 'service_healthy' }],
});

export const web = defineService({
  name: 'web',
  image: 'nginx:1.27.3',
  imageFacts: { user: '0:0', ships: ['sh', 'curl'], source: 'https://github.com/nginx/docker-nginx/blob/master/mainline/debian/Dockerfile' },
  ports: [{ target: 80, published: 8081, exposure: 'lan', reason: 'the test web server' }],
  volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'web', target: '/usr/share/nginx/html', readOnly: true }],
});

export function labWith(services: readonly ServiceDef[], extra: Partial<HostDef> = {}): Lab {
  return { facts, hosts: [{ ...defineHost(vm, { services }), ...extra }] };
}

/** A service changed in one field, the rest as in `base`. */
export function changed<S extends ServiceDef>(base: S, change: Record<string, unknown>): ServiceDef {
  return { ...base, ...change } as ServiceDef;
}
