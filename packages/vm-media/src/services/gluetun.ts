import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

const ROUTED = 'reached by Traefik on vm-infra, which routes it with forward auth';

/** The VPN gateway: its network namespace is the only way Sonarr, Radarr, Prowlarr and qBittorrent reach the internet. */
export default defineService({
  name: 'gluetun',
  image: 'qmcgaw/gluetun:v3.41.1',
  // Alpine, no USER (it sets up the tunnel and firewall as root); `/gluetun-entrypoint healthcheck`
  // asks its health server (HEALTH_SERVER_ADDRESS, 127.0.0.1:9999).
  imageFacts: { user: '0:0', ships: ['sh', 'wget', '/gluetun-entrypoint'], source: 'https://github.com/qdm12/gluetun/blob/master/Dockerfile' },
  role: 'vpn-gateway',
  capAdd: ['NET_ADMIN'],
  devices: ['/dev/net/tun:/dev/net/tun'],
  environment: {
    VPN_SERVICE_PROVIDER: 'mullvad',
    VPN_TYPE: 'wireguard',
    WIREGUARD_PRIVATE_KEY_SECRETFILE: secret('gluetun_wireguard_private_key'),
    WIREGUARD_ADDRESSES_SECRETFILE: secret('gluetun_wireguard_addresses'),
    SERVER_COUNTRIES: 'Netherlands',
    // No FIREWALL_OUTBOUND_SUBNETS: nothing behind the gateway opens a connection to the LAN (the
    // *arrs and qBittorrent talk over localhost). Traefik's and Prometheus' connections come in on
    // eth0 and are answered without it (gluetun accepts input to its local network and routes
    // replies from its own address out of eth0: internal/firewall/enable.go, internal/routing/inbound.go,
    // read 2026-12-07). The whole /24 would let the torrent client reach every device of the LAN
    // (gateway-outbound-network).
    TZ: lab.timezone,
  },
  // The ports of the services that share this namespace are published here (compose requires it).
  ports: [
    { target: 8989, reason: ROUTED },
    { target: 7878, reason: ROUTED },
    { target: 9696, reason: ROUTED },
    { target: 8080, reason: ROUTED },
  ],
  // Gluetun's own control server (8000) and health server (9999) stay inside the namespace.
  listen: [8000, 9999],
  volumes: [{ dataset: zfs.dataset('services/media'), sub: 'gluetun', target: '/gluetun' }],
  healthcheck: {
    test: ['CMD', '/gluetun-entrypoint', 'healthcheck'],
    interval: '10s',
    timeout: '10s',
    retries: 12,
    startPeriod: '30s',
  },
});
