import { describe, expect, it } from 'vitest';
import { EXPORTERS, dashboards, findRole, imageName, labDashboards, metricsServices, parseYaml, prometheusConfig, renderHost, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { promqlMetrics } from './promql-metrics.js';

const grafana = findRole(realLab, 'dashboards')!;
const store = findRole(realLab, 'metrics-store')!;

interface Dashboard {
  uid: string;
  title: string;
  panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[];
}

describe('Grafana dashboards', () => {
  const artifacts = renderHost(realLab, grafana.host).artifacts;
  const rendered = artifacts.filter((a) => a.kind === 'grafana-dashboard').map((a) => ({ path: a.path, json: JSON.parse(a.content) as Dashboard }));
  const provider = parseYaml(artifacts.find((a) => a.path === 'grafana/provisioning/dashboards/homelab.yaml')!.content) as { providers: { options: { path: string } }[] };
  const jobs = (prometheusConfig(realLab, store.host) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name);
  const scrapedImages = new Set(metricsServices(realLab).filter((p) => jobs.includes(p.service.name)).map((p) => imageName(p.service.image)));

  it('renders hosts, containers, ZFS and day two into the folder the provider reads', () => {
    expect(rendered.map((d) => d.path)).toEqual([
      'grafana/provisioning/dashboards/homelab/homelab-containers.json',
      'grafana/provisioning/dashboards/homelab/homelab-day-two.json',
      'grafana/provisioning/dashboards/homelab/homelab-hosts.json',
      'grafana/provisioning/dashboards/homelab/homelab-zfs.json',
    ]);
    // The grafana service mounts grafana/provisioning at /etc/grafana/provisioning.
    const mount = grafana.service.volumes!.find((v) => 'rendered' in v && v.rendered === 'grafana/provisioning')!;
    expect(provider.providers[0]!.options.path).toBe(`${mount.target}/dashboards/homelab`);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s queries only metrics of an exporter Prometheus scrapes', (uid, def) => {
    const json = rendered.find((d) => d.json.uid === uid)!.json;
    expect(json.panels.length).toBe(def.panels.length);
    json.panels.forEach((panel, i) => {
      const exporter = EXPORTERS[def.panels[i]!.exporter ?? def.exporter];
      expect(scrapedImages).toContain(exporter.image);
      for (const t of panel.targets) {
        expect(t.datasource.uid).toBe('prometheus');
        const names = promqlMetrics(t.expr);
        expect(names.length, `${uid}/${panel.title}`).toBeGreaterThan(0);
        for (const name of names) expect(exporter.prefixes.some((p: string) => name.startsWith(p)), `${uid}/${panel.title}: ${name}`).toBe(true);
      }
    });
  });

  it('leaves out a dashboard whose exporter no service runs', () => {
    const noCadvisor: Lab = { ...realLab, hosts: realLab.hosts.map((h) => ({ ...h, services: h.services.filter((s) => imageName(s.image) !== 'cadvisor') })) };
    const images = metricsServices(noCadvisor).map((p) => p.service.image);
    const left = labDashboards(images);
    expect(left.map((d) => d.uid)).toEqual(['homelab-hosts', 'homelab-zfs', 'homelab-day-two']);
    // ... and the day-two dashboard without its container panel.
    expect(left.find((d) => d.uid === 'homelab-day-two')!.panels.map((p) => p.title)).not.toContain('Container starts (1h)');
  });

  it('names images as the exporters table does', () => {
    expect(imageName('quay.io/prometheus/node-exporter:v1.12.1')).toBe('node-exporter');
    expect(imageName('ghcr.io/google/cadvisor:v0.60.5@sha256:abc')).toBe('cadvisor');
  });
});

/**
 * Every alert rule, as rendered into prometheus/rules/homelab.yml, has a panel whose query reads
 * all the metrics the rule's expression reads: an alert on the phone has its graph.
 */
function rulesWithoutPanel(rules: readonly { alert: string; expr: string }[], boards: readonly Dashboard[]): string[] {
  const panels = boards.flatMap((d) => d.panels.map((p) => new Set(p.targets.flatMap((t) => promqlMetrics(t.expr)))));
  return rules.filter((r) => !panels.some((metrics) => promqlMetrics(r.expr).every((m) => metrics.has(m)))).map((r) => r.alert);
}

describe('every alert has a panel', () => {
  const rulesFile = renderHost(realLab, store.host).artifacts.find((a) => a.path === 'prometheus/rules/homelab.yml')!;
  const rules = (parseYaml(rulesFile.content) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
  const boards = renderHost(realLab, grafana.host).artifacts.filter((a) => a.kind === 'grafana-dashboard').map((a) => JSON.parse(a.content) as Dashboard);

  it('reads the metrics of each rule from the rendered rules file', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(promqlMetrics('up == 0')).toEqual(['up']);
    expect(promqlMetrics(rules.find((r) => r.alert === 'SnapshotStale')!.expr)).toEqual(['homelab_zfs_snapshot_max_age_seconds', 'homelab_zfs_snapshot_newest_timestamp_seconds']);
    for (const r of rules) expect(promqlMetrics(r.expr).length, r.alert).toBeGreaterThan(0);
  });

  it('finds a panel over the same metrics for every rule', () => {
    expect(rulesWithoutPanel(rules, boards)).toEqual([]);
  });

  it('names the rules whose panel is gone (the check is live)', () => {
    const withoutReplication = boards.map((d) => ({ ...d, panels: d.panels.filter((p) => !p.title.startsWith('Replication age')) }));
    expect(rulesWithoutPanel(rules, withoutReplication)).toEqual(['ReplicationStale', 'ReplicationNeverSucceeded']);
  });
});
