import { imageName } from '../model/service.js';

/**
 * Grafana dashboards of the lab, as JSON files in the folder the dashboards provider reads
 * (grafana/provisioning/dashboards/homelab/*.json). Each dashboard names the exporter whose
 * metrics its panels query; it is rendered only when some service of the lab runs that exporter
 * (an image of that name that declares `metrics`), so a panel never queries a metric no target serves.
 */

/** An exporter the dashboards know: the image name that runs it, and the prefixes of the metrics it serves. */
export interface Exporter {
  readonly image: string;
  readonly prefixes: readonly string[];
}

export const EXPORTERS = {
  // node_*, and on the Proxmox host the textfile collector's homelab_* (render/zfs-ages.ts).
  'node-exporter': { image: 'node-exporter', prefixes: ['node_', 'homelab_'] },
  cadvisor: { image: 'cadvisor', prefixes: ['container_'] },
  // `up`: Prometheus writes it for every target it scrapes.
  prometheus: { image: 'prometheus', prefixes: ['up'] },
} as const satisfies Record<string, Exporter>;

export type ExporterName = keyof typeof EXPORTERS;

export interface PanelDef {
  readonly title: string;
  readonly expr: string;
  readonly legend: string;
  /** Grafana's unit id: bytes, percentunit, Bps, short, ... */
  readonly unit: string;
  /** The exporter whose metrics this panel reads, when not its dashboard's. */
  readonly exporter?: ExporterName;
}

export interface DashboardDef {
  readonly uid: string;
  readonly title: string;
  readonly exporter: ExporterName;
  readonly panels: readonly PanelDef[];
}

const HOST = 'host=~"$host"';

export const dashboards: readonly DashboardDef[] = [
  {
    uid: 'homelab-hosts',
    title: 'Hosts',
    exporter: 'node-exporter',
    panels: [
      { title: 'CPU busy', expr: `1 - avg by (host) (rate(node_cpu_seconds_total{mode="idle",${HOST}}[5m]))`, legend: '{{host}}', unit: 'percentunit' },
      { title: 'Memory available', expr: `node_memory_MemAvailable_bytes{${HOST}} / node_memory_MemTotal_bytes{${HOST}}`, legend: '{{host}}', unit: 'percentunit' },
      { title: 'Load (1m)', expr: `node_load1{${HOST}}`, legend: '{{host}}', unit: 'short' },
      { title: 'Network received', expr: `sum by (host) (rate(node_network_receive_bytes_total{device!="lo",${HOST}}[5m]))`, legend: '{{host}}', unit: 'Bps' },
      { title: 'Network sent', expr: `sum by (host) (rate(node_network_transmit_bytes_total{device!="lo",${HOST}}[5m]))`, legend: '{{host}}', unit: 'Bps' },
      { title: 'Root file system free', expr: `node_filesystem_avail_bytes{mountpoint="/",${HOST}} / node_filesystem_size_bytes{mountpoint="/",${HOST}}`, legend: '{{host}}', unit: 'percentunit' },
    ],
  },
  {
    uid: 'homelab-containers',
    title: 'Containers',
    exporter: 'cadvisor',
    panels: [
      { title: 'CPU', expr: `sum by (host, name) (rate(container_cpu_usage_seconds_total{name!="",${HOST}}[5m]))`, legend: '{{host}}/{{name}}', unit: 'short' },
      { title: 'Memory (working set)', expr: `container_memory_working_set_bytes{name!="",${HOST}}`, legend: '{{host}}/{{name}}', unit: 'bytes' },
      { title: 'Network received', expr: `sum by (host, name) (rate(container_network_receive_bytes_total{name!="",${HOST}}[5m]))`, legend: '{{host}}/{{name}}', unit: 'Bps' },
      { title: 'Network sent', expr: `sum by (host, name) (rate(container_network_transmit_bytes_total{name!="",${HOST}}[5m]))`, legend: '{{host}}/{{name}}', unit: 'Bps' },
    ],
  },
  {
    uid: 'homelab-zfs',
    title: 'ZFS',
    exporter: 'node-exporter',
    panels: [
      { title: 'Pool state (1 = current)', expr: `node_zfs_zpool_state{${HOST}}`, legend: '{{host}} {{zpool}} {{state}}', unit: 'short' },
      { title: 'Dataset free', expr: `node_filesystem_avail_bytes{fstype=~"zfs|virtiofs",${HOST}} / node_filesystem_size_bytes{fstype=~"zfs|virtiofs",${HOST}}`, legend: '{{host}} {{mountpoint}}', unit: 'percentunit' },
      { title: 'ARC size', expr: `node_zfs_arc_size{${HOST}}`, legend: '{{host}}', unit: 'bytes' },
      { title: 'ARC hit ratio', expr: `rate(node_zfs_arc_hits{${HOST}}[5m]) / (rate(node_zfs_arc_hits{${HOST}}[5m]) + rate(node_zfs_arc_misses{${HOST}}[5m]))`, legend: '{{host}}', unit: 'percentunit' },
    ],
  },
  {
    // What the alert rules (render/alert-rules.ts) watch, one panel each, so an alert on the phone
    // has a graph beside it; tools/kit/test/grafana-dashboards.test.ts keeps every rule covered.
    uid: 'homelab-day-two',
    title: 'Day two: what the alerts watch',
    exporter: 'node-exporter',
    panels: [
      { title: 'Targets up (TargetDown)', expr: `min by (host, job) (up{${HOST}})`, legend: '{{host}} {{job}}', unit: 'short', exporter: 'prometheus' },
      { title: 'Snapshot age / allowed (SnapshotStale at 100%)', expr: `(time() - homelab_zfs_snapshot_newest_timestamp_seconds{${HOST}}) / on(host, dataset) group_left(policy) homelab_zfs_snapshot_max_age_seconds{${HOST}}`, legend: '{{host}} {{dataset}} ({{policy}})', unit: 'percentunit' },
      { title: 'Replication age / allowed (ReplicationStale at 100%)', expr: `(time() - homelab_replication_last_success_timestamp_seconds{${HOST}}) / on(host, target, dataset) group_left homelab_replication_max_age_seconds{${HOST}}`, legend: '{{dataset}} to {{target}}', unit: 'percentunit' },
      { title: 'Pool state (ZfsPoolDegraded when not online)', expr: `node_zfs_zpool_state{${HOST}} == 1`, legend: '{{host}} {{zpool}} {{state}}', unit: 'short' },
      { title: 'Dataset fill (DatasetNearFull above 90%)', expr: `1 - node_filesystem_avail_bytes{fstype=~"zfs|virtiofs",${HOST}} / node_filesystem_size_bytes{fstype=~"zfs|virtiofs",${HOST}}`, legend: '{{host}} {{mountpoint}}', unit: 'percentunit' },
      { title: 'Memory available (MemoryPressure below 10%)', expr: `node_memory_MemAvailable_bytes{${HOST}} / node_memory_MemTotal_bytes{${HOST}}`, legend: '{{host}}', unit: 'percentunit' },
      // cAdvisor's start time of each container (google/cadvisor docs/storage/prometheus.md, read 2026-12-07): each change is a (re)start.
      { title: 'Container starts (1h)', expr: `changes(container_start_time_seconds{name!="",${HOST}}[1h])`, legend: '{{host}}/{{name}}', unit: 'short', exporter: 'cadvisor' },
    ],
  },
];

const WIDTH = 12;
const HEIGHT = 8;

/** Grafana's JSON model of one dashboard: time series panels two abreast, a `host` variable from `up`. */
export function dashboardJson(d: DashboardDef): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: 'prometheus' };
  return {
    uid: d.uid,
    title: d.title,
    tags: ['homelab'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        {
          name: 'host',
          label: 'Host',
          type: 'query',
          datasource,
          query: { query: 'label_values(up, host)', refId: 'host' },
          definition: 'label_values(up, host)',
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
          refresh: 2,
          sort: 1,
        },
      ],
    },
    panels: d.panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: [{ refId: 'A', datasource, expr: p.expr, legendFormat: p.legend }],
    })),
  };
}

/**
 * The dashboards whose exporter some service of the lab runs (by image name), each without the
 * panels whose own exporter none runs.
 */
export function labDashboards(images: readonly string[]): DashboardDef[] {
  const runs = (e: ExporterName) => images.some((image) => imageName(image) === EXPORTERS[e].image);
  return dashboards.filter((d) => runs(d.exporter)).map((d) => ({ ...d, panels: d.panels.filter((p) => runs(p.exporter ?? d.exporter)) }));
}
