import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { TailscaleDef } from '../model/tailscale.js';
import { TAILSCALE_PACKAGE } from '../model/unit-source.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { DAEMON_UNITS } from '../model/daemon.js';
import { tailnetPolicyPath, tailnetPolicyText } from './tailnet-policy.js';

export const TAILSCALE_DEFAULT_PORT = 41641;

/** Where the auth key file lives in the container: systemd's credential store, root-only. */
export const TAILSCALE_AUTH_KEY_PATH = '/etc/credstore/tailscale-auth-key';

const comment = (lines: readonly string[]) => lines.map((l) => `# ${l}`).join('\n');

/**
 * The `tailscale up` command line, with every setting spelled out and `--reset`, so that the
 * node's preferences are exactly the model's (tailscale up refuses a partial change otherwise).
 * The auth key is read from a file (`file:`); it is used once, to join the tailnet.
 */
export function tailscaleUpArgs(host: HostDef, ts: TailscaleDef): string[] {
  return [
    'up',
    '--reset',
    `--auth-key=file:${TAILSCALE_AUTH_KEY_PATH}`,
    `--hostname=${host.name}`,
    `--advertise-routes=${ts.advertiseRoutes.join(',')}`,
    ...(ts.advertiseExitNode ? ['--advertise-exit-node'] : []),
    ...(ts.advertiseTags?.length ? [`--advertise-tags=${ts.advertiseTags.join(',')}`] : []),
    `--accept-dns=${ts.acceptDns}`,
    `--snat-subnet-routes=${ts.snatSubnetRoutes ?? true}`,
    '--timeout=60s',
  ];
}

function defaults(host: HostDef, ts: TailscaleDef): string {
  return `${comment(GENERATED(host))}
# Read by tailscaled.service (Debian's tailscale package): the UDP port for WireGuard traffic.
PORT="${ts.port ?? TAILSCALE_DEFAULT_PORT}"
# Extra flags for tailscaled; the kernel TUN device comes from the container's dev0 (/dev/net/tun).
FLAGS=""
`;
}

function upUnit(host: HostDef, ts: TailscaleDef): string {
  return `${comment(GENERATED(host))}
[Unit]
Description=Tailscale: join the tailnet and route ${ts.advertiseRoutes.join(', ')} (homelab-as-code)
Requires=tailscaled.service
After=tailscaled.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/tailscale ${tailscaleUpArgs(host, ts).join(' ')}
TimeoutStartSec=90

[Install]
WantedBy=multi-user.target
`;
}

function sysctl(host: HostDef): string {
  return `${comment(GENERATED(host))}
# A subnet router forwards packets between tailscale0 and eth0 (Tailscale kb/1019). These are
# per-network-namespace settings: an unprivileged container may set them for itself.
net.ipv4.ip_forward = 1
net.ipv6.conf.all.forwarding = 1
`;
}

/** tailscaled's defaults, the `tailscale up` unit, IP forwarding, the auth key file (a secret placeholder), and the tailnet policy. */
export const renderTailscale: Renderer = (lab, host) =>
  daemonsOf(host, 'tailscale').flatMap((ts): Artifact[] => [
    {
      path: `${ts.name}/tailscaled.default`,
      kind: 'tailscale',
      content: defaults(host, ts),
      install: { path: '/etc/default/tailscaled', mode: '0644', owner: 'root:root', restart: DAEMON_UNITS.tailscale.unit, source: TAILSCALE_PACKAGE },
    },
    {
      path: `${ts.name}/tailscale-up.service`,
      kind: 'tailscale',
      content: upUnit(host, ts),
      install: { path: '/etc/systemd/system/tailscale-up.service', mode: '0644', owner: 'root:root', restart: 'tailscale-up.service', source: TAILSCALE_PACKAGE },
    },
    {
      path: `${ts.name}/99-tailscale.conf`,
      kind: 'tailscale',
      content: sysctl(host),
      install: { path: '/etc/sysctl.d/99-tailscale.conf', mode: '0644', owner: 'root:root', restart: 'systemd-sysctl.service' },
    },
    {
      path: `${ts.name}/auth-key`,
      kind: 'tailscale',
      content: `${secretPlaceholder(ts.authKey)}\n`,
      install: { path: TAILSCALE_AUTH_KEY_PATH, mode: '0600', owner: 'root:root', restart: 'tailscale-up.service', source: TAILSCALE_PACKAGE, secrets: [ts.authKey.name] },
    },
    // Not installed on the router: Tailscale's control plane holds it (.github/workflows/tailnet-policy.yml applies it).
    { path: tailnetPolicyPath(ts), kind: 'tailnet-policy', content: tailnetPolicyText(lab, host, ts) },
  ]);
