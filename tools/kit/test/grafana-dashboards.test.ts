import { describe, expect, it } from 'vitest';
import { EXPORTERS, dashboards, findRole, imageName, labDashboards, metricsServices, parseYaml, prometheusConfig, renderHost, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';

const grafana = findRole(realLab, 'dashboards')!;
const store = findRole(realLab, 'metrics-store')!;

/** The metric names a PromQL expression selects (a name followed by its label matchers). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!);
}

interface Dashboard {
  uid: string;
  panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[];
}

describe('Grafana dashboards', () => {
  const artifacts = renderHost(realLab, grafana.host).artifacts;
  const rendered = artifacts.filter((a) => a.kind === 'grafana-dashboard').map((a) => ({ path: a.path, json: JSON.parse(a.content) as Dashboard }));
  const provider = parseYaml(artifacts.find((a) => a.path === 'grafana/provisioning/dashboards/homelab.yaml')!.content) as { providers: { options: { path: string } }[] };
  const jobs = (prometheusConfig(realLab, store.host) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name);
  const scrapedImages = new Set(metricsServices(realLab).filter((p) => jobs.includes(p.service.name)).map((p) => imageName(p.service.image)));

  it('renders hosts, containers and ZFS into the folder the provider reads', () => {
    expect(rendered.map((d) => d.path)).toEqual([
      'grafana/provisioning/dashboards/homelab/homelab-containers.json',
      'grafana/provisioning/dashboards/homelab/homelab-hosts.json',
      'grafana/provisioning/dashboards/homelab/homelab-zfs.json',
    ]);
    // The grafana service mounts grafana/provisioning at /etc/grafana/provisioning.
    const mount = grafana.service.volumes!.find((v) => 'rendered' in v && v.rendered === 'grafana/provisioning')!;
    expect(provider.providers[0]!.options.path).toBe(`${mount.target}/dashboards/homelab`);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s queries only metrics of an exporter Prometheus scrapes', (uid, def) => {
    const exporter = EXPORTERS[def.exporter];
    expect(scrapedImages).toContain(exporter.image);
    const json = rendered.find((d) => d.json.uid === uid)!.json;
    expect(json.panels.length).toBe(def.panels.length);
    for (const panel of json.panels) {
      for (const t of panel.targets) {
        expect(t.datasource.uid).toBe('prometheus');
        const names = metricNames(t.expr);
        expect(names.length, `${uid}/${panel.title}`).toBeGreaterThan(0);
        for (const name of names) expect(name.startsWith(exporter.prefix), `${uid}/${panel.title}: ${name}`).toBe(true);
      }
    }
  });

  it('leaves out a dashboard whose exporter no service runs', () => {
    const noCadvisor: Lab = { ...realLab, hosts: realLab.hosts.map((h) => ({ ...h, services: h.services.filter((s) => imageName(s.image) !== 'cadvisor') })) };
    const images = metricsServices(noCadvisor).map((p) => p.service.image);
    expect(labDashboards(images).map((d) => d.uid)).toEqual(['homelab-hosts', 'homelab-zfs']);
  });

  it('names images as the exporters table does', () => {
    expect(imageName('quay.io/prometheus/node-exporter:v1.12.1')).toBe('node-exporter');
    expect(imageName('ghcr.io/google/cadvisor:v0.60.5@sha256:abc')).toBe('cadvisor');
  });
});
