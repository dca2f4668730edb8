import { defineService, secret, TLS_SECRETS, traefikAcmeEnvironment, traefikAcmeVolumes } from '@homelab/kit';
import facts, { zfs } from '@homelab/shared';
import socketProxy from './docker-socket-proxy.js';

/**
 * The lab's one entry point: TLS termination on 443, HTTP redirected there. Routes to other hosts
 * come from the file provider (traefik/dynamic, rendered with this host); the docker provider sees
 * only this host's containers, through the read-only socket proxy, and only those labelled
 * `traefik.enable=true`. Static configuration as TRAEFIK_* variables, so `traefik healthcheck`
 * reads the same configuration as the running proxy.
 */
export default defineService({
  name: 'traefik',
  image: 'traefik:v3.7.9',
  // Alpine, no USER; `traefik healthcheck --ping` asks /ping on the entry point ping uses (traefik, 8080).
  imageFacts: { user: '0:0', ships: ['sh', 'wget', 'traefik'], source: 'https://github.com/traefik/traefik-library-image/blob/master/v3.7/alpine/Dockerfile' },
  role: 'reverse-proxy',
  dependsOn: [{ service: socketProxy, condition: 'service_healthy' }],
  volumes: [
    // routes.yaml, rendered from every route the services declare (the kit's Traefik renderer).
    { rendered: 'traefik/dynamic', target: '/etc/traefik/dynamic', readOnly: true },
    { dataset: zfs.dataset('services/infra'), sub: 'traefik/certs', target: '/etc/traefik/certs', readOnly: true, sensitive: 'the private keys of the lab\'s TLS certificates' },
    // With tls.mode 'acme-dns01' only: acme.json (0600, made by Traefik) on the dataset.
    ...traefikAcmeVolumes(facts.tls, zfs.dataset('services/infra')),
  ],
  environment: {
    TRAEFIK_ACCESSLOG: true,
    TRAEFIK_API_DASHBOARD: true,
    TRAEFIK_ENTRYPOINTS_METRICS_ADDRESS: ':8082',
    TRAEFIK_ENTRYPOINTS_WEB_ADDRESS: ':80',
    TRAEFIK_ENTRYPOINTS_WEB_HTTP_REDIRECTIONS_ENTRYPOINT_SCHEME: 'https',
    TRAEFIK_ENTRYPOINTS_WEB_HTTP_REDIRECTIONS_ENTRYPOINT_TO: 'websecure',
    TRAEFIK_ENTRYPOINTS_WEBSECURE_ADDRESS: ':443',
    TRAEFIK_ENTRYPOINTS_WEBSECURE_HTTP_TLS: true,
    // Traefik v3 stops reading a request after 60s, body included (DefaultReadTimeout); Immich's
    // phone backups of videos and large registry pushes take longer. Immich asks for at least 10
    // minutes; an hour still bounds a stalled client (docs/services.md, Traefik).
    TRAEFIK_ENTRYPOINTS_WEBSECURE_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT: '3600s',
    // Renovate proposes new versions; the proxy does not phone home.
    TRAEFIK_GLOBAL_CHECKNEWVERSION: false,
    TRAEFIK_GLOBAL_SENDANONYMOUSUSAGE: false,
    TRAEFIK_LOG_LEVEL: 'INFO',
    TRAEFIK_METRICS_PROMETHEUS: true,
    TRAEFIK_METRICS_PROMETHEUS_ENTRYPOINT: 'metrics',
    TRAEFIK_PING: true,
    TRAEFIK_PROVIDERS_DOCKER: true,
    TRAEFIK_PROVIDERS_DOCKER_ENDPOINT: 'tcp://docker-socket-proxy:2375',
    TRAEFIK_PROVIDERS_DOCKER_EXPOSEDBYDEFAULT: false,
    // The compose project's default network, which Traefik and this host's services share.
    TRAEFIK_PROVIDERS_DOCKER_NETWORK: 'vm-infra_default',
    TRAEFIK_PROVIDERS_FILE_DIRECTORY: '/etc/traefik/dynamic',
    TRAEFIK_PROVIDERS_FILE_WATCH: true,
    // With tls.mode 'acme-dns01' only: the resolver the routers ask (docs/hosts.md, TLS).
    ...traefikAcmeEnvironment(facts.tls),
  },
  ports: [
    { target: 80, exposure: 'lan', reason: "the lab's HTTP entry point; it only redirects to HTTPS" },
    { target: 443, exposure: 'lan', reason: "the lab's HTTPS entry point: every route of every host" },
  ],
  // The certificate the lab's CA issues for every route name (`homelab secret tls-issue`), read by tls.yaml.
  secrets: [secret(TLS_SECRETS.cert), secret(TLS_SECRETS.key)],
  networks: ['default', 'socket-proxy'],
  // 8080 is the `traefik` entry point of the API and /ping; 8082 serves Prometheus metrics.
  listen: [80, 443, 8080, 8082],
  healthcheck: { test: ['CMD', 'traefik', 'healthcheck', '--ping'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  metrics: { port: 8082, path: '/metrics' },
});
