import { imageName } from '../model/service.js';

/**
 * Grafana dashboards of the lab, as JSON files in the folder the dashboards provider reads
 * (grafana/provisioning/dashboards/homelab/*.json). Each dashboard names the exporter whose
 * metrics its panels query; it is rendered only when some service of the lab runs that exporter
 * (an image of that name that declares `metrics`), so a panel never queries a metric no target serves.
 */

/** An exporter the dashboards know: the image name that runs it, and the prefix of the metrics it serves. */
export interface Exporter {
  readonly image: string;
  readonly prefix: string;
}

export const EXPORTERS = {
  'node-exporter': { image: 'node-exporter', prefix: 'node_' },
  cadvisor: { image: 'cadvisor', prefix: 'container_' },
} as const satisfies Record<string, Exporter>;

export interface PanelDef {
  readonly title: string;
  readonly expr: string;
  readonly legend: string;
  /** Grafana's unit id: bytes, percentunit, Bps, short, ... */
  readonly unit: string;
}

export interface DashboardDef {
  readonly uid: string;
  readonly title: string;
  readonly exporter: keyof typeof EXPORTERS;
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

/** The dashboards whose exporter some service of the lab runs (by image name). */
export function labDashboards(images: readonly string[]): DashboardDef[] {
  return dashboards.filter((d) => images.some((image) => imageName(image) === EXPORTERS[d.exporter].image));
}
