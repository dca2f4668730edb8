import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secret, type Lab } from '../src/index.js';
import { addHost, moveService, withFacts, withHost, withService } from './mutate.js';
import { withDatasets, withPolicy, withTarget } from './storage-fixtures.js';
import { clusterCases } from './cluster-cases.js';

export interface CorpusCase {
  readonly name: string;
  readonly mutate: (lab: Lab) => Lab;
  readonly code: string;
  /** Where the finding is; computed from the lab where the mutation appends to a list, so the lab can grow. */
  readonly path: string | ((lab: Lab) => string);
}

/** A test CA of fixtures/tls (made once with openssl for the tests, never a lab's). */
const testCa = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'tls', name), 'utf8');
const ds = (lab: Lab, name: string) => ({ kind: 'dataset' as const, pool: lab.facts.zfs.pool, name });

type ListField = 'ports' | 'volumes' | 'dependsOn';
/** The path of the entry a mutation appends to a service's list: the list's length in the unbroken lab. */
const appended = (host: string, service: string, field: ListField) => (lab: Lab): string => {
  const list = lab.hosts.find((h) => h.name === host)!.services.find((s) => s.name === service)![field] ?? [];
  return `${host}/${service}/${field}[${list.length}]`;
};
/** The path of the entry a mutation appends to a host's storage. */
const appendedStorage = (host: string) => (lab: Lab): string => `${host}/storage[${lab.hosts.find((h) => h.name === host)!.storage.length}]`;

export const corpus: CorpusCase[] = [
  // compose rules, on the real lab
  { name: 'sonarr publishes its own port behind gluetun', mutate: (l) => withService(l, 'vm-media', 'sonarr', { ports: [{ target: 8989 }] }), code: 'network-mode-conflict', path: 'vm-media/sonarr/ports' },
  { name: 'radarr sets a hostname behind gluetun', mutate: (l) => withService(l, 'vm-media', 'radarr', { hostname: 'radarr' }), code: 'network-mode-conflict', path: 'vm-media/radarr/hostname' },
  { name: 'gluetun removed while sonarr still joins it', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, services: h.services.filter((s) => s.name !== 'gluetun') })), code: 'network-mode-unknown-service', path: 'vm-media/sonarr/networkMode' },
  { name: 'jellyfin takes a port gluetun publishes', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: [{ target: 8096, published: 8989, reason: 'x' }] })), code: 'port-conflict', path: 'vm-media/jellyfin/ports[0]' },
  { name: 'prowlarr listens on sonarr\'s port behind the gateway', mutate: (l) => withService(l, 'vm-media', 'prowlarr', { listen: [8989], route: { host: 'prowlarr', port: 8989, access: 'authenticated' } }), code: 'listen-conflict', path: 'vm-media/prowlarr/listen[0]' },
  { name: 'sonarr with the seed\'s separate /tv and /downloads mounts', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, volumes: [s.volumes![0]!, { dataset: ds(l, 'media/library'), sub: 'shows', target: '/tv' }, { dataset: ds(l, 'media/library'), sub: 'torrents', target: '/downloads' }] })), code: 'arr-paths-not-one-filesystem', path: 'vm-media/sonarr/volumes[2]' },
  { name: 'lxc-smb mounts the media library writable with no owner', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, mounts: h.mounts!.map((m, i) => (i === 1 ? { ...m, owner: undefined } : m)) })), code: 'lxc-mount-owner-missing', path: 'lxc-smb/mounts[1]' },
  { name: 'a misspelled widget on a route\'s page', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, route: { ...s.route!, page: { description: 'x', widgt: { type: 'sonarr' } } as never } })), code: 'service-unknown-field', path: 'vm-media/sonarr/route.page.widgt' },
  { name: 'a misspelled healthcheck interval', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, intervall: '5s' } as never })), code: 'service-unknown-field', path: 'vm-media/jellyfin/healthcheck.intervall' },
  { name: 'a volume marked "readonly" (the field is readOnly): mounted writable', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: [{ ...s.volumes![0]!, readonly: true } as never, ...s.volumes!.slice(1)] })), code: 'service-unknown-field', path: 'vm-media/jellyfin/volumes[0].readonly' },
  { name: 'a sub-folder on a named volume, which compose has no way to mount', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: [{ volume: 'cache', target: '/cache', sub: 'x' } as never, ...s.volumes!] })), code: 'service-unknown-field', path: 'vm-media/jellyfin/volumes[0].sub' },
  { name: 'a misspelled reason on a published port', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: [{ target: 8920, reasn: 'x' } as never] })), code: 'service-unknown-field', path: 'vm-media/jellyfin/ports[0].reasn' },
  { name: 'a VM with its memory misspelled, which the build would drop', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, memroyMiB: 8192 }) as never), code: 'host-unknown-field', path: 'vm-media/memroyMiB' },
  { name: "Samba's allowFrom misspelled: the shares would take every address", mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'samba' ? ({ ...d, alowFrom: ['192.168.0.0/24'] } as never) : d)) })), code: 'host-unknown-field', path: 'lxc-smb/samba/alowFrom' },
  { name: 'a misspelled healthcheck, which the build would drop', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthchek: s.healthcheck }) as never), code: 'service-unknown-field', path: 'vm-media/jellyfin/healthchek' },
  { name: 'jellyfin cache volume not declared', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, volumes: [] })), code: 'undeclared-volume', path: 'vm-media/jellyfin/volumes[1]' },
  { name: 'a depends_on cycle through the gateway', mutate: (l) => withService(l, 'vm-media', 'gluetun', { dependsOn: [{ service: 'sonarr' }] }), code: 'depends-on-cycle', path: 'vm-media/gluetun/dependsOn[0]' },
  { name: 'radarr depends on a service that is not there', mutate: (l) => withService(l, 'vm-media', 'radarr', (s) => ({ ...s, dependsOn: [...(s.dependsOn ?? []), { service: 'sabnzbd' }] })), code: 'depends-on-unknown', path: appended('vm-media', 'radarr', 'dependsOn') },
  { name: 'jellyfin on latest', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { image: 'jellyfin/jellyfin:latest' }), code: 'image-tag-missing', path: 'vm-media/jellyfin/image' },
  { name: 'sonarr without a tag', mutate: (l) => withService(l, 'vm-media', 'sonarr', { image: 'lscr.io/linuxserver/sonarr' }), code: 'image-tag-missing', path: 'vm-media/sonarr/image' },
  { name: 'the WireGuard key in plain text', mutate: (l) => withService(l, 'vm-media', 'gluetun', (s) => ({ ...s, environment: { ...s.environment, WIREGUARD_PRIVATE_KEY: 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=' } })), code: 'inline-secret', path: 'vm-media/gluetun/environment.WIREGUARD_PRIVATE_KEY' },
  { name: 'an API key in plain text', mutate: (l) => withService(l, 'vm-media', 'prowlarr', (s) => ({ ...s, environment: { ...s.environment, PROWLARR__AUTH__APIKEY: '0123456789abcdef' } })), code: 'inline-secret', path: 'vm-media/prowlarr/environment.PROWLARR__AUTH__APIKEY' },
  { name: 'a secret name compose refuses', mutate: (l) => withService(l, 'vm-media', 'gluetun', (s) => ({ ...s, secrets: [secret('WireGuard Key')] })), code: 'secret-name-invalid', path: 'vm-media/gluetun/secrets' },
  { name: 'a healthcheck interval the schema refuses', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, interval: 30 as never } })), code: 'compose-schema', path: 'vm-media/jellyfin/healthcheck/interval' },

  // monitoring: the Alertmanager's receiver and its reach
  { name: 'the lab chooses no receiver for its alerts', mutate: (l) => withFacts(l, (f) => ({ ...f, alerts: { receivers: [] } })), code: 'alert-receiver-missing', path: 'shared/alerts.receivers' },
  { name: 'the Alertmanager without its webhook URL secret', mutate: (l) => withService(l, 'vm-infra', 'alertmanager', { secrets: [] }), code: 'alert-receiver-secret-missing', path: 'vm-infra/alertmanager/secrets' },
  { name: 'a Telegram receiver whose bot token the Alertmanager does not declare', mutate: (l) => withFacts(l, (f) => ({ ...f, alerts: { receivers: [...f.alerts!.receivers, { name: 'phone', kind: 'telegram', chatId: -100123, botToken: secret('alertmanager_telegram_bot_token') }] } })), code: 'alert-receiver-secret-missing', path: 'vm-infra/alertmanager/secrets' },
  { name: 'a Discord receiver on an Alertmanager too old to read webhook_url_file', mutate: (l) => withService(withFacts(l, (f) => ({ ...f, alerts: { receivers: [{ name: 'chat', kind: 'discord', url: secret('alertmanager_webhook_url') }] } })), 'vm-infra', 'alertmanager', { image: 'prom/alertmanager:v0.26.0' }), code: 'alert-receiver-secret-inline', path: 'vm-infra/alertmanager/image' },
  { name: 'a Gotify receiver without the bridge Gotify needs', mutate: (l) => withFacts(l, (f) => ({ ...f, alerts: { receivers: [{ name: 'gotify', kind: 'gotify', url: secret('alertmanager_webhook_url') }] } })), code: 'alert-receiver-bridge-missing', path: 'shared/alerts.receivers.gotify' },
  { name: 'an ntfy receiver whose topic URL already has a query', mutate: (l) => withService(withFacts(l, (f) => ({ ...f, alerts: { receivers: [{ name: 'phone', kind: 'ntfy', topicUrl: 'https://ntfy.sh/lab?priority=high', token: secret('alertmanager_ntfy_token') }] } })), 'vm-infra', 'alertmanager', { secrets: [secret('alertmanager_ntfy_token')] }), code: 'alert-receiver-invalid', path: 'shared/alerts.receivers.phone.topicUrl' },
  { name: 'the Proxmox host without node-exporter: no ZFS or backup-age metrics', mutate: (l) => ({ ...l, nodes: l.nodes!.map((n) => ({ ...n, nodeExporter: undefined })) }), code: 'host-metrics-missing', path: 'pve/nodeExporter' },
  { name: 'lxc-vpn without node-exporter', mutate: (l) => withHost(l, 'lxc-vpn', (h) => ({ ...h, daemons: h.daemons!.filter((d) => d.kind !== 'node-exporter') })), code: 'host-metrics-missing', path: 'lxc-vpn/daemons' },
  { name: 'node-exporter on lxc-dns moved to AdGuard\'s web UI port', mutate: (l) => withHost(l, 'lxc-dns', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'node-exporter' ? { ...d, port: 80 } : d)) })), code: 'exporter-port-conflict', path: 'lxc-dns/node-exporter/port' },
  { name: 'the Alertmanager moved to vm-dev without publishing 9093', mutate: (l) => moveService(l, 'vm-infra', 'vm-dev', 'alertmanager'), code: 'alertmanager-unreachable', path: 'vm-dev/alertmanager/ports' },

  // image facts: secret owners and healthchecks
  { name: 'a new service without image facts', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { imageFacts: undefined }), code: 'image-facts-missing', path: 'vm-media/jellyfin/imageFacts' },
  { name: 'nextcloud run as 1000 and its database as 999: the password file they share has two owners', mutate: (l) => withService(withService(l, 'vm-apps', 'nextcloud', { user: '1000:1000' }), 'vm-apps', 'nextcloud-postgres', { user: '999:999' }), code: 'secret-readers-differ', path: 'vm-apps/nextcloud-postgres/secrets' },
  { name: 'jellyfin moved to 8097 with its healthcheck left on 8096', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: s.ports!.map((p) => (p.target === 8096 ? { ...p, target: 8097 } : p)), listen: [8097, 7359], route: { ...s.route!, port: 8097 } })), code: 'healthcheck-port-not-listened', path: 'vm-media/jellyfin/healthcheck.test' },
  { name: 'sonarr\'s healthcheck on a port nothing behind gluetun listens on', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, test: ['CMD', 'curl', '-fsS', 'http://localhost:8990/ping'] } })), code: 'healthcheck-port-not-listened', path: 'vm-media/sonarr/healthcheck.test' },
  { name: 'nextcloud-cron on an image whose facts lost cron.sh', mutate: (l) => withService(l, 'vm-apps', 'nextcloud-cron', (s) => ({ ...s, imageFacts: { ...s.imageFacts!, ships: s.imageFacts!.ships.filter((c) => c !== '/cron.sh') } })), code: 'entrypoint-not-shipped', path: 'vm-apps/nextcloud-cron/entrypoint' },
  { name: 'nextcloud-postgres checked on the Unix socket, where the init\'s temporary server answers', mutate: (l) => withService(l, 'vm-apps', 'nextcloud-postgres', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, test: ['CMD-SHELL', 'pg_isready -d nextcloud -U nextcloud'] } })), code: 'healthcheck-pg-isready-socket', path: 'vm-apps/nextcloud-postgres/healthcheck.test' },
  { name: 'wings given a curl healthcheck in its distroless image', mutate: (l) => withService(l, 'vm-games', 'wings', { healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8080/'] } }), code: 'healthcheck-command-not-shipped', path: 'vm-games/wings/healthcheck.test' },

  // addresses and ids
  { name: 'vm-media takes vm-infra\'s address by hand', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, address: '192.168.0.20' })), code: 'address-not-in-plan', path: 'vm-media/address' },
  { name: 'the seed\'s 192.168.0.30 for the media VM', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, address: '192.168.0.30' })), code: 'address-not-in-plan', path: 'vm-media/address' },
  { name: 'a duplicated address in the plan', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, addresses: { ...f.network.addresses, 'lxc-vpn': { class: 'lxc', address: '192.168.0.11' } } } })), code: 'address-duplicate', path: 'shared/network/addresses.lxc-vpn' },
  { name: 'a VM address in the LXC range', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, addresses: { ...f.network.addresses, 'vm-dev': { class: 'vm', address: '192.168.0.13' } } } })), code: 'address-outside-range', path: 'shared/network/addresses.vm-dev' },
  { name: 'an address outside the subnet', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, addresses: { ...f.network.addresses, 'vm-dev': { class: 'vm', address: '10.0.0.24' } } } })), code: 'address-outside-subnet', path: 'shared/network/addresses.vm-dev' },
  { name: 'a device on the gateway\'s address', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, addresses: { ...f.network.addresses, switch: { class: 'network-device', address: '192.168.0.1' } } } })), code: 'address-is-gateway', path: 'shared/network/addresses.switch' },
  { name: 'not an address at all', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, addresses: { ...f.network.addresses, ap: { class: 'network-device', address: '192.168.0.256' } } } })), code: 'address-invalid', path: 'shared/network/addresses.ap' },
  { name: 'a range turned around', mutate: (l) => withFacts(l, (f) => ({ ...f, network: { ...f.network, ranges: { ...f.network.ranges, vm: { first: '192.168.0.24', last: '192.168.0.20' } } } })), code: 'range-invalid', path: 'shared/network/ranges.vm' },
  { name: 'a host with no plan entry', mutate: (l) => addHost(l, 'vm-media', { name: 'vm-extra', vmid: 199, address: '192.168.0.25', services: [] }), code: 'address-not-in-plan', path: 'vm-extra/address' },
  { name: 'two guests with one vmid', mutate: (l) => addHost(l, 'vm-media', { name: 'vm-dev', vmid: 122, address: '192.168.0.24', services: [] }), code: 'vmid-duplicate', path: 'vm-dev/vmid' },
  { name: 'a vmid Proxmox refuses', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, vmid: 99 })), code: 'vmid-invalid', path: 'vm-media/vmid' },

  // routes
  { name: 'a route host that is not a DNS label', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, route: { ...s.route!, host: 'Jelly_Fin' } })), code: 'route-host-invalid', path: 'vm-media/jellyfin/route.host' },
  { name: 'two services claim one hostname', mutate: (l) => withService(l, 'vm-media', 'radarr', (s) => ({ ...s, route: { ...s.route!, host: 'sonarr' } })), code: 'route-host-duplicate', path: 'vm-media/radarr/route.host' },
  { name: 'a renamed route target port', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, route: { ...s.route!, port: 8097 } })), code: 'route-port-undeclared', path: 'vm-media/jellyfin/route.port' },
  { name: 'a public route without a reason', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, route: { ...s.route!, access: { public: '' } } })), code: 'route-public-without-reason', path: 'vm-media/jellyfin/route.access' },
  // the start page
  { name: 'a widget type the kit does not render', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, route: { ...s.route!, page: { widget: { type: 'sonar', key: secret('sonarr_api_key') } } } })), code: 'start-page-widget-unknown', path: 'vm-media/sonarr/route.page.widget.type' },
  { name: "a Sonarr widget without the API key", mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, route: { ...s.route!, page: { widget: { type: 'sonarr' } } } })), code: 'start-page-widget-key-missing', path: 'vm-media/sonarr/route.page.widget.key' },
  { name: 'a widget on a port nothing publishes to the start page', mutate: (l) => withService(l, 'vm-apps', 'nextcloud', (s) => ({ ...s, ports: [], route: { ...s.route!, page: { widget: { type: 'nextcloud', key: secret('nextcloud_admin_password') } } } })), code: 'start-page-widget-unreachable', path: 'vm-apps/nextcloud/route.page.widget' },
  { name: "the start page's config mounted writable", mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, volumes: [{ rendered: 'homepage', target: '/app/config' }] })), code: 'start-page-config', path: 'vm-infra/homepage/volumes' },
  { name: 'the start page logging into its read-only config', mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, environment: { ...s.environment, LOG_TARGETS: 'both' } })), code: 'start-page-log-file', path: 'vm-infra/homepage/environment.LOG_TARGETS' },
  { name: "the start page's allowed hosts without its route domain name", mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, environment: { ...s.environment, HOMEPAGE_ALLOWED_HOSTS: 'home.local' } })), code: 'start-page-allowed-hosts', path: 'vm-infra/homepage/environment.HOMEPAGE_ALLOWED_HOSTS' },
  { name: 'two widget keys that become one HOMEPAGE_FILE_ variable', mutate: (l) => withService(l, 'vm-media', 'radarr', (s) => ({ ...s, route: { ...s.route!, page: { widget: { type: 'radarr', key: secret('sonarr-api-key') } } } })), code: 'start-page-widget-key-clash', path: 'vm-media/sonarr/route.page.widget.key' },
  { name: "a widget key's variable set by hand to another file", mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, environment: { ...s.environment, HOMEPAGE_FILE_SONARR_API_KEY: '/run/secrets/old_key' } })), code: 'start-page-widget-key-env', path: 'vm-infra/homepage/environment.HOMEPAGE_FILE_SONARR_API_KEY' },
  { name: 'the start page without a route', mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, route: undefined })), code: 'start-page-unrouted', path: 'vm-infra/homepage/route' },
  { name: 'the start page public', mutate: (l) => withService(l, 'vm-infra', 'homepage', (s) => ({ ...s, route: { ...s.route!, access: { public: 'x' } } })), code: 'start-page-public', path: 'vm-infra/homepage/route.access' },
  { name: 'portainer open to every lab account', mutate: (l) => withService(l, 'vm-infra', 'portainer', (s) => ({ ...s, route: { ...s.route!, group: undefined } })), code: 'route-group-too-wide', path: 'vm-infra/portainer/route.group' },
  { name: 'prometheus (lifecycle API on) for lab users', mutate: (l) => withService(l, 'vm-infra', 'prometheus', (s) => ({ ...s, route: { ...s.route!, group: 'users' } })), code: 'route-group-too-wide', path: 'vm-infra/prometheus/route.group' },
  { name: 'a route for a group Authentik does not have', mutate: (l) => withService(l, 'vm-infra', 'grafana', (s) => ({ ...s, route: { ...s.route!, group: 'family' as never } })), code: 'route-group-unknown', path: 'vm-infra/grafana/route.group' },
  { name: 'a public route given a group', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, route: { ...s.route!, group: 'users' } })), code: 'route-group-public', path: 'vm-media/jellyfin/route.group' },
  { name: 'a hand-written route to an address that matches no host', mutate: (l) => withFacts(l, (f) => ({ ...f, externalRoutes: [{ host: 'media', address: '192.168.0.30', port: 8096, access: 'authenticated', description: 'the seed\'s jellyfin.local example' }] })), code: 'route-address-unknown', path: 'shared/externalRoutes[0].address' },

  // exposure
  { name: 'a port on the LAN without a reason or route', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: [...(s.ports ?? []), { target: 8920 }] })), code: 'port-exposed-without-reason', path: appended('vm-media', 'jellyfin', 'ports') },
  { name: 'a service other than the proxy takes 443', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: [...(s.ports ?? []), { target: 8920, published: 443, reason: 'https' }] })), code: 'port-reserved-for-proxy', path: appended('vm-media', 'jellyfin', 'ports') },

  // VPN confinement
  { name: 'sonarr leaves the VPN', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, networkMode: undefined, dependsOn: [] })), code: 'vpn-confinement', path: 'vm-media/sonarr/networkMode' },
  { name: 'prowlarr joins jellyfin instead of the gateway', mutate: (l) => withService(l, 'vm-media', 'prowlarr', { networkMode: { service: 'jellyfin' }, dependsOn: [] }), code: 'vpn-confinement', path: 'vm-media/prowlarr/networkMode' },
  { name: 'the gateway publishes a port nothing behind it listens on', mutate: (l) => withService(l, 'vm-media', 'gluetun', (s) => ({ ...s, ports: [{ target: 8081, reason: 'sabnzbd' }, ...(s.ports ?? [])] })), code: 'gateway-port-unbound', path: 'vm-media/gluetun/ports[0]' },
  { name: 'the gateway opens the whole LAN to the torrent client', mutate: (l) => withService(l, 'vm-media', 'gluetun', (s) => ({ ...s, environment: { ...s.environment, FIREWALL_OUTBOUND_SUBNETS: '192.168.0.20,192.168.0.0/24' } })), code: 'gateway-outbound-network', path: 'vm-media/gluetun/environment.FIREWALL_OUTBOUND_SUBNETS' },
  { name: 'prowlarr moved onto the host network', mutate: (l) => withService(l, 'vm-media', 'prowlarr', { networkMode: 'host', dependsOn: [] }), code: 'vpn-confinement', path: 'vm-media/prowlarr/networkMode' },

  // storage
  { name: 'a mount outside the layout', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, volumes: [{ dataset: ds(l, 'services/torrents'), target: '/data' }] })), code: 'dataset-unknown', path: 'vm-media/sonarr/volumes[0]' },
  { name: 'vm-media mounts services/apps', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: [...(s.volumes ?? []), { dataset: ds(l, 'services/apps'), target: '/apps', readOnly: true }] })), code: 'dataset-not-on-host', path: appended('vm-media', 'jellyfin', 'volumes') },
  { name: 'another domain\'s dataset mounted read-write', mutate: (l) => withService(withHost(l, 'vm-media', (h) => ({ ...h, storage: [...h.storage, ds(l, 'services/apps')] })), 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: [...(s.volumes ?? []), { dataset: ds(l, 'services/apps'), target: '/apps' }] })), code: 'dataset-not-owned', path: appended('vm-media', 'jellyfin', 'volumes') },
  { name: 'jellyfin writes the movie library', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: s.volumes!.map((v) => ({ ...v, readOnly: false })) })), code: 'mount-not-readonly', path: 'vm-media/jellyfin/volumes[2]' },
  { name: 'a host storage entry outside the layout', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, storage: [...h.storage, ds(l, 'scratch')] })), code: 'dataset-unknown', path: appendedStorage('vm-media') },

  // resources
  { name: 'a guest larger than its node', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, memoryMiB: 1_000_000 })), code: 'guest-exceeds-node', path: 'vm-media/memoryMiB' },
  { name: 'a guest on a node the lab does not have', mutate: (l) => withHost(l, 'vm-media', (h) => ({ ...h, node: 'pve2' })), code: 'node-unknown', path: 'vm-media/node' },
  { name: 'a container limit larger than its VM', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { memLimit: '8g' }), code: 'container-memory-exceeds-host', path: 'vm-media/jellyfin/memLimit' },
  { name: 'a memory limit that is not a size', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { memLimit: 'lots' }), code: 'memory-limit-invalid', path: 'vm-media/jellyfin/memLimit' },

  // docker socket
  { name: 'the Docker socket mounted read-write', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, route: undefined, volumes: [...(s.volumes ?? []), { hostPath: '/var/run/docker.sock', target: '/var/run/docker.sock', reason: 'x' }] })), code: 'docker-socket-writable', path: appended('vm-media', 'jellyfin', 'volumes') },
  { name: 'traefik back on its 60s read timeout: a long upload is cut', mutate: (l) => withService(l, 'vm-infra', 'traefik', (s) => ({ ...s, environment: Object.fromEntries(Object.entries(s.environment!).filter(([k]) => !k.includes('RESPONDINGTIMEOUTS'))) })), code: 'proxy-read-timeout-short', path: 'vm-infra/traefik/environment' },
  { name: 'traefik reading a request for at most 2 minutes', mutate: (l) => withService(l, 'vm-infra', 'traefik', (s) => ({ ...s, environment: { ...s.environment, TRAEFIK_ENTRYPOINTS_WEBSECURE_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT: '2m' } })), code: 'proxy-read-timeout-short', path: 'vm-infra/traefik/environment.TRAEFIK_ENTRYPOINTS_WEBSECURE_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT' },
  { name: 'a routed service with the Docker socket', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: [...(s.volumes ?? []), { hostPath: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true, reason: 'x' }] })), code: 'docker-socket-direct', path: appended('vm-media', 'jellyfin', 'volumes') },
  { name: 'Wings on the socket without saying why the proxy will not do', mutate: (l) => withService(l, 'vm-games', 'wings', (s) => ({ ...s, volumes: s.volumes!.map((v) => ('hostPath' in v ? { ...v, directSocket: undefined } : v)) })), code: 'docker-socket-direct', path: 'vm-games/wings/volumes[0]' },

  // entry control: the firewall (docs/hosts.md)
  { name: 'code-server published with a reason but no route', mutate: (l) => withService(l, 'vm-dev', 'code-server', { route: undefined }), code: 'port-not-in-firewall', path: 'vm-dev/code-server/ports[0]' },
  { name: 'Jellyfin discovery no longer declared LAN-facing', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: s.ports!.map((p) => ({ ...p, exposure: undefined })) })), code: 'port-not-in-firewall', path: 'vm-media/jellyfin/ports[1]' },
  { name: 'game ports declared LAN-facing without a reason', mutate: (l) => withService(l, 'vm-games', 'wings', (s) => ({ ...s, allocations: s.allocations!.map((p) => ({ ...p, reason: undefined })) })), code: 'port-lan-without-reason', path: 'vm-games/wings/allocations[0]' },
  { name: 'AdGuard\'s web UI without its route', mutate: (l) => withFacts(l, (f) => ({ ...f, externalRoutes: [] })), code: 'port-not-in-firewall', path: 'lxc-dns/adguard/httpPort' },
  { name: 'the admin\'s share of all app data, Vaultwarden\'s vault included', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'samba' ? { ...d, shares: [...d.shares, { ...d.shares.at(-1)!, name: 'services-apps', sub: undefined, dataset: ds(l, 'services/apps') }] } : d)) })), code: 'smb-share-exposes-secrets', path: 'lxc-smb/samba/shares[10]' },
  { name: 'Samba allowed from a network written with host bits', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'samba' ? { ...d, allowFrom: ['192.168.0.1/24'] } : d)) })), code: 'pve-firewall-invalid', path: 'pve/firewall/113.fw' },
  { name: 'an NFS export to vm-apps, which mounts photos through virtiofs', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'nfs-exports' ? { ...d, exports: [...d.exports, { dataset: ds(l, 'media/user'), clients: [{ host: '192.168.0.21', access: 'rw' as const, why: 'Immich' }] }] } : d)) })), code: 'nfs-client-unused', path: 'lxc-smb/nfs/exports[1].clients[0]' },

  // the storage chain: dataset -> node -> guest -> container, snapshots, replication (docs/storage.md)
  { name: 'a guest on a node that does not hold the pool', mutate: (l) => withHost(withFacts(l, (f) => ({ ...f, proxmox: { ...f.proxmox, nodes: { ...f.proxmox.nodes, pve2: { cores: 16, memoryMiB: 65536 } } } })), 'vm-media', (h) => ({ ...h, node: 'pve2' })), code: 'dataset-node-mismatch', path: 'vm-media/storage[0]' },
  { name: 'a dataset name that is no directory-mapping id', mutate: (l) => withHost(withDatasets(l, { 'services/media.old': { purpose: 'x' } }), 'vm-media', (h) => ({ ...h, storage: [...h.storage, ds(l, 'services/media.old')] })), code: 'directory-mapping-id-invalid', path: appendedStorage('vm-media') },
  { name: 'lxc-smb mounting all of services/apps, Vaultwarden\'s vault included, though it shares two folders', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, mounts: [...((h as { mounts?: readonly object[] }).mounts ?? []), { dataset: ds(l, 'services/apps'), target: '/srv/services/apps', readOnly: true }] }) as typeof h), code: 'lxc-mount-exposes-sensitive', path: (l) => `lxc-smb/mounts[${((l.hosts.find((h) => h.name === 'lxc-smb') as { mounts?: readonly object[] }).mounts ?? []).length}]` },
  { name: 'lxc-smb mounting services/infra, the TLS and Authentik keys, which it shares nothing of', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, mounts: [{ dataset: ds(l, 'services/infra'), target: '/srv/services/infra', readOnly: true }, ...((h as { mounts?: readonly object[] }).mounts ?? [])] }) as typeof h), code: 'lxc-mount-exposes-sensitive', path: 'lxc-smb/mounts[0]' },
  { name: 'lxc-smb writing the libraries without passing uid 1000 through', mutate: (l) => withHost(l, 'lxc-smb', (h) => ({ ...h, passthroughIds: undefined }) as typeof h), code: 'lxc-bind-mount-ids', path: 'lxc-smb/mounts[1]' },
  { name: 'the service datasets left without a snapshot policy', mutate: (l) => withPolicy(l, 'services', undefined), code: 'dataset-not-snapshotted', path: 'vm-media/storage[0]' },
  { name: 'offsite replication outrunning the snapshots', mutate: (l) => withTarget(l, { toleratedFailures: 20 }), code: 'replication-retention', path: 'pve/replication[0]/datasets[1]' },
  { name: 'replicating the replica target', mutate: (l) => withTarget(l, { datasets: [ds(l, 'backups')] }), code: 'replication-not-snapshotted', path: 'pve/replication[0]/datasets[0]' },
  { name: 'guest backups onto a backups dataset made read-only again', mutate: (l) => withDatasets(l, { backups: { ...l.facts.zfs.datasets.backups!, properties: { ...l.facts.zfs.datasets.backups!.properties, readonly: { value: 'on', why: 'for received replicas' } } } }), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'the offsite target left on the docs\' placeholder', mutate: (l) => withTarget(l, { host: 'offsite.example.net' }), code: 'replication-target-placeholder', path: 'pve/replication[0]/host' },
  { name: 'the games panel dropped from replication though the docs call it backed up', mutate: (l) => withTarget(l, { datasets: l.nodes![0]!.replication![0]!.datasets.filter((d) => d.name !== 'services/games') }), code: 'backup-not-replicated', path: 'shared/zfs/services/games/backup' },

  // the domain
  { name: 'a domain that is not a DNS name', mutate: (l) => withFacts(l, (f) => ({ ...f, domain: 'Home Lab' })), code: 'domain-invalid', path: 'shared/domain' },
  { name: 'secrets/ca.crt that is not a certificate: every VM would trust it instead of the CA', mutate: (l) => ({ ...l, caCertificate: 'not a certificate' }), code: 'tls-ca-invalid', path: 'secrets/ca.crt' },
  { name: 'Authentik\'s worker without the first admin\'s password: the initial-setup flow is anyone\'s', mutate: (l) => withService(l, 'vm-infra', 'authentik-worker', (s) => ({ ...s, secrets: [] })), code: 'authentik-first-admin-unread', path: 'vm-infra/authentik-worker/secrets' },
  { name: 'a CA constrained to another domain: every client refuses the proxy\'s certificate', mutate: (l) => ({ ...l, caCertificate: testCa('ca-other-domain.crt') }), code: 'tls-ca-excludes-name', path: 'secrets/ca.crt' },
  { name: 'the panel calls Wings over HTTPS without its VM\'s CA bundle', mutate: (l) => withService(l, 'vm-games', 'pelican-panel', (s) => ({ ...s, volumes: s.volumes!.filter((v) => !('hostPath' in v)) })), code: 'tls-client-untrusted', path: 'vm-games/pelican-panel/volumes' },
  { name: 'Wings calls a route host nobody declares', mutate: (l) => withService(l, 'vm-games', 'wings', { callsOverHttps: ['pelican'] }), code: 'tls-client-unknown-route', path: 'vm-games/wings/callsOverHttps[0]' },
  { name: 'the proxy without the internal CA\'s certificate', mutate: (l) => withService(l, 'vm-infra', 'traefik', (s) => ({ ...s, secrets: [] })), code: 'tls-certificate-unread', path: 'vm-infra/traefik/secrets' },
  { name: 'ACME DNS-01 for home.arpa', mutate: (l) => withFacts(l, (f) => ({ ...f, tls: { mode: 'acme-dns01', provider: 'cloudflare', email: 'me@example.org', tokenSecret: 'cloudflare-token', tokenEnv: 'CF_DNS_API_TOKEN_FILE' } })), code: 'tls-acme-private-domain', path: 'shared/tls' },
  { name: 'ACME DNS-01 turned on with the proxy left without a dataset for acme.json', mutate: (l) => withFacts(l, (f) => ({ ...f, routeDomain: 'lab.example.org', tls: { mode: 'acme-dns01', provider: 'cloudflare', email: 'me@example.org', tokenSecret: 'cloudflare-token', tokenEnv: 'CF_DNS_API_TOKEN_FILE' } })), code: 'tls-acme-storage-missing', path: 'vm-infra/traefik/volumes' },
  { name: 'ACME DNS-01 without an account e-mail', mutate: (l) => withFacts(l, (f) => ({ ...f, routeDomain: 'lab.example.org', tls: { mode: 'acme-dns01', provider: 'cloudflare', email: 'me', tokenSecret: 'cloudflare-token', tokenEnv: 'CF_DNS_API_TOKEN_FILE' } })), code: 'tls-acme-incomplete', path: 'shared/tls.email' },
  { name: 'a route domain that is not a DNS name', mutate: (l) => withFacts(l, (f) => ({ ...f, routeDomain: 'home arpa' })), code: 'domain-invalid', path: 'shared/routeDomain' },

  // likely combinations across hosts
  { name: 'jellyfin moved to vm-apps without its datasets', mutate: (l) => moveService(l, 'vm-media', 'vm-apps', 'jellyfin'), code: 'dataset-not-on-host', path: 'vm-apps/jellyfin/volumes[0]' },
  { name: 'sonarr moved to vm-apps, away from its gateway', mutate: (l) => moveService(l, 'vm-media', 'vm-apps', 'sonarr'), code: 'network-mode-unknown-service', path: 'vm-apps/sonarr/networkMode' },
  { name: 'two hosts route the same hostname', mutate: (l) => withService(l, 'vm-apps', 'vaultwarden', (s) => ({ ...s, route: { ...s.route!, host: 'grafana' } })), code: 'route-host-duplicate', path: 'vm-apps/vaultwarden/route.host' },
  { name: 'a port clash through the VPN gateway', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, ports: [...(s.ports ?? []), { target: 9696, reason: 'x' }] })), code: 'port-conflict', path: appended('vm-media', 'jellyfin', 'ports') },
  { name: 'vm-dev takes vm-apps\' vmid', mutate: (l) => withHost(l, 'vm-dev', (h) => ({ ...h, vmid: 121 })), code: 'vmid-duplicate', path: 'vm-dev/vmid' },
  { name: 'a route target renamed on the proxy host', mutate: (l) => withService(l, 'vm-infra', 'grafana', (s) => ({ ...s, route: { ...s.route!, port: 3001 } })), code: 'route-port-undeclared', path: 'vm-infra/grafana/route.port' },

  // what docker compose (compose-go) and the daemon (moby) refuse although the schema accepts it
  { name: 'jellyfin\'s healthcheck without CMD', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, test: ['curl', '-fsS', 'http://localhost:8096/health'] } })), code: 'healthcheck-test-invalid', path: 'vm-media/jellyfin/healthcheck.test' },
  { name: 'a healthcheck interval without a unit', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, interval: '30' } })), code: 'duration-invalid', path: 'vm-media/jellyfin/healthcheck.interval' },
  { name: 'negative healthcheck retries', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, healthcheck: { ...s.healthcheck!, retries: -3 } })), code: 'healthcheck-retries-invalid', path: 'vm-media/jellyfin/healthcheck.retries' },
  { name: 'sonarr waits for a healthy gluetun that has no healthcheck', mutate: (l) => withService(l, 'vm-media', 'gluetun', { healthcheck: undefined }), code: 'depends-on-no-healthcheck', path: 'vm-media/gluetun/healthcheck' },
  { name: 'sonarr mounts the shows again at /data', mutate: (l) => withService(l, 'vm-media', 'sonarr', (s) => ({ ...s, volumes: [...s.volumes!, { dataset: ds(l, 'media/library'), sub: 'shows', target: '/data', readOnly: true }] })), code: 'mount-target-duplicate', path: appended('vm-media', 'sonarr', 'volumes') },
  { name: 'a relative mount target', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: s.volumes!.map((v, i) => (i === 0 ? { ...v, target: 'config' } : v)) })), code: 'mount-target-invalid', path: 'vm-media/jellyfin/volumes[0]' },
  { name: 'jellyfin\'s config reaching into another dataset through sub', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: s.volumes!.map((v, i) => (i === 0 ? { ...v, sub: '../../apps/nextcloud' } : v)) })), code: 'mount-source-invalid', path: 'vm-media/jellyfin/volumes[0]' },
  { name: 'the jellyfin cache volume renamed with a space', mutate: (l) => withService(withHost(l, 'vm-media', (h) => ({ ...h, volumes: ['jellyfin cache'] })), 'vm-media', 'jellyfin', (s) => ({ ...s, volumes: s.volumes!.map((v) => ('volume' in v ? { ...v, volume: 'jellyfin cache' } : v)) })), code: 'volume-name-invalid', path: 'vm-media/volumes[0]' },
  { name: 'a memory limit in bytes by mistake', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { memLimit: '2048' }), code: 'memory-limit-too-low', path: 'vm-media/jellyfin/memLimit' },
  { name: 'more cpus than vm-media has', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { cpus: 64 }), code: 'cpus-invalid', path: 'vm-media/jellyfin/cpus' },
  { name: 'an shm size in words', mutate: (l) => withService(l, 'vm-apps', 'immich-postgres', { shmSize: '128 megabytes' }), code: 'shm-size-invalid', path: 'vm-apps/immich-postgres/shmSize' },
  { name: 'a MAC address on the host network', mutate: (l) => withService(l, 'vm-media', 'node-exporter', { macAddress: '02:42:ac:11:00:02' }), code: 'network-mode-host-conflict', path: 'vm-media/node-exporter/macAddress' },
  { name: 'a hostname past 64 bytes', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { hostname: 'jellyfin-media-server-for-the-living-room-and-the-bedroom-and-the-garden' }), code: 'hostname-too-long', path: 'vm-media/jellyfin/hostname' },
  { name: 'node-exporter given a net sysctl on the host network', mutate: (l) => withService(l, 'vm-media', 'node-exporter', { sysctls: { 'net.core.somaxconn': 1024 } }), code: 'sysctl-invalid', path: 'vm-media/node-exporter/sysctls.net.core.somaxconn' },
  { name: 'jellyfin transcodes on a GPU vm-media does not have', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { devices: ['/dev/dri/renderD128:/dev/dri/renderD128'] }), code: 'device-unavailable', path: 'vm-media/jellyfin/devices[0]' },
  { name: 'gluetun\'s tun device without its path', mutate: (l) => withService(l, 'vm-media', 'gluetun', { devices: ['tun'] }), code: 'device-invalid', path: 'vm-media/gluetun/devices[0]' },
  { name: 'a capability misspelt', mutate: (l) => withService(l, 'vm-media', 'gluetun', { capAdd: ['NET_ADMINS'] }), code: 'capability-unknown', path: 'vm-media/gluetun/capAdd[0]' },
  { name: 'a security option the daemon does not know', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { securityOpt: ['no-new-privileges=yes'] }), code: 'security-opt-invalid', path: 'vm-media/jellyfin/securityOpt[0]' },
  { name: 'an extra host with a misspelt host-gateway', mutate: (l) => withService(l, 'vm-games', 'pelican-panel', { extraHosts: ['host.docker.internal:hostgateway'] }), code: 'extra-host-invalid', path: 'vm-games/pelican-panel/extraHosts[0]' },
  { name: 'a working directory without its leading slash', mutate: (l) => withService(l, 'vm-media', 'jellyfin', { workingDir: 'jellyfin' }), code: 'working-dir-invalid', path: 'vm-media/jellyfin/workingDir' },
  { name: 'an environment name with a space', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, environment: { ...s.environment, ' TZ': 'Europe/Amsterdam' } })), code: 'env-name-invalid', path: 'vm-media/jellyfin/environment. TZ' },

  // secrets in disguise, and references checked against what declares them
  { name: 'immich\'s database as a URL with its password', mutate: (l) => withService(l, 'vm-apps', 'immich-server', (s) => ({ ...s, environment: { ...s.environment, DB_URL: 'postgresql://postgres:immich123@immich-postgres:5432/immich' } })), code: 'url-credential', path: 'vm-apps/immich-server/environment.DB_URL' },
  { name: 'a database password under a short name', mutate: (l) => withService(l, 'vm-apps', 'immich-server', (s) => ({ ...s, environment: { ...s.environment, DB_PASS: 'immich123' } })), code: 'inline-secret', path: 'vm-apps/immich-server/environment.DB_PASS' },
  { name: 'a password file path written by hand for a secret not mounted', mutate: (l) => withService(l, 'vm-apps', 'immich-server', (s) => ({ ...s, environment: { ...s.environment, DB_PASSWORD_FILE: '/run/secrets/immich_db_pasword' } })), code: 'secret-undeclared', path: 'vm-apps/immich-server/environment.DB_PASSWORD_FILE' },
  { name: 'prometheus\'s metrics on a port it does not serve', mutate: (l) => withService(l, 'vm-infra', 'prometheus', (s) => ({ ...s, metrics: { port: 9091 } })), code: 'metrics-port-undeclared', path: 'vm-infra/prometheus/metrics.port' },
  { name: 'jellyfin told to listen on 8097 while 8096 stays published', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, listen: [8097, 7359], route: { ...s.route!, port: 8097 } })), code: 'port-target-unbound', path: 'vm-media/jellyfin/ports[0]' },
  { name: 'the seed\'s 192.168.0.30 written into a service', mutate: (l) => withService(l, 'vm-media', 'jellyfin', (s) => ({ ...s, environment: { ...s.environment, JELLYFIN_PublishedServerUrl: 'http://192.168.0.30:8096' } })), code: 'address-unknown', path: 'vm-media/jellyfin/environment.JELLYFIN_PublishedServerUrl' },
  { name: 'a second reverse proxy', mutate: (l) => withService(l, 'vm-apps', 'nextcloud', { role: 'reverse-proxy' }), code: 'role-duplicate', path: 'vm-apps/nextcloud/role' },
  // a Proxmox cluster: the three-node variant broken one way each (cluster-cases.ts)
  ...clusterCases,
  // Kubernetes: what moves to a host's k3s cluster, and its rendered objects
  { name: 'the registry on Kubernetes with its cluster taken away', mutate: (l) => withHost(l, 'vm-dev', (h) => ({ ...h, kubernetes: undefined })), code: 'kubernetes-runtime-without-cluster', path: 'vm-dev/registry/runtime' },
  { name: 'cAdvisor moved to Kubernetes: privileged, with host folders', mutate: (l) => withService(l, 'vm-dev', 'cadvisor', { runtime: 'kubernetes' }), code: 'kubernetes-field-unsupported', path: 'vm-dev/cadvisor/privileged' },
  { name: 'k3s on latest', mutate: (l) => withHost(l, 'vm-dev', (h) => ({ ...h, kubernetes: { ...h.kubernetes!, version: 'latest' } })), code: 'k3s-version-invalid', path: 'vm-dev/kubernetes.version' },
  { name: 'the registry on Kubernetes publishing a port range', mutate: (l) => withService(l, 'vm-dev', 'registry', (s) => ({ ...s, ports: [{ ...s.ports![0]!, target: '5000-5001' }] })), code: 'kubernetes-schema', path: 'vm-dev/registry/Deployment.spec.template.spec.containers[0].ports[0].containerPort' },
];
