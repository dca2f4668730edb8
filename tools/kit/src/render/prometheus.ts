import type { Lab } from '../model/lab.js';
import type { HostDef } from '../model/host.js';
import { findRole, metricsServices, reach, scrapeTargets } from '../model/wiring.js';
import { machineExporters } from '../model/exporters.js';
import type { Artifact } from './artifact.js';
import { alertRules } from './alert-rules.js';
import { alertmanagerTarget } from '../model/alerting.js';
import { dashboardJson, labDashboards } from './grafana-dashboards.js';
import { toYaml } from './yaml.js';

export const PROMETHEUS_DIR = 'prometheus';
/** Where the prometheus service mounts the rendered prometheus/ folder (its `rendered` volume). */
const PROMETHEUS_CONFIG_DIR = '/etc/prometheus';
/** Where the grafana service mounts the rendered grafana/provisioning folder, and the dashboards in it. */
const GRAFANA_PROVISIONING_DIR = '/etc/grafana/provisioning';
const DASHBOARDS_SUBDIR = 'dashboards/homelab';

/** prometheus.yml: one job per service that declares `metrics`, one target per host it runs on. */
export function prometheusConfig(lab: Lab, store: HostDef): Record<string, unknown> {
  const alertmanager = alertmanagerTarget(lab, store);
  const jobs = new Map<string, { path: string; params?: Readonly<Record<string, readonly string[]>>; targets: { address: string; host: string }[] }>();
  const add = (name: string, path: string, address: string, host: string, params?: Readonly<Record<string, readonly string[]>>) => {
    const job = jobs.get(name) ?? { path, ...(params ? { params } : {}), targets: [] };
    job.targets.push({ address, host });
    jobs.set(name, job);
  };
  for (const t of scrapeTargets(lab, store)) {
    if (!t.address) continue; // reported as metrics-unreachable
    add(t.service.name, t.path, t.address, t.host.name, t.service.metrics?.params);
  }
  // The machines' own exporters (LXCs, the Proxmox host) join the job of the same name: one
  // node-exporter job, a `host` label per machine.
  for (const e of machineExporters(lab)) add(e.exporter.name, e.path, `${e.address}:${e.port}`, e.machine);
  return {
    global: { scrape_interval: '30s', evaluation_interval: '30s', external_labels: { lab: lab.facts.name } },
    ...(alertmanager ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager] }] }] } } : {}),
    rule_files: [`${PROMETHEUS_CONFIG_DIR}/rules/*.yml`],
    scrape_configs: [...jobs.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, job]) => ({
        job_name: name,
        metrics_path: job.path,
        ...(job.params ? { params: job.params } : {}),
        static_configs: job.targets
          .sort((a, b) => a.host.localeCompare(b.host))
          .map((t) => ({ targets: [t.address], labels: { host: t.host } })),
      })),
  };
}

/** Grafana's provisioning: the metrics store as the one default datasource, and a dashboards folder. */
export function grafanaProvisioning(lab: Lab, host: HostDef): { datasources: unknown; dashboards: unknown } | undefined {
  const store = findRole(lab, 'metrics-store');
  const at = store && reach(host, store, store.service.listen?.[0] ?? 9090);
  if (!at) return undefined;
  return {
    datasources: {
      apiVersion: 1,
      datasources: [
        { name: 'Prometheus', type: 'prometheus', uid: 'prometheus', access: 'proxy', orgId: 1, url: `http://${at.host}:${at.port}`, isDefault: true, editable: false },
      ],
    },
    dashboards: {
      apiVersion: 1,
      providers: [
        { name: 'homelab', orgId: 1, folder: 'Homelab', type: 'file', disableDeletion: false, allowUiUpdates: false, options: { path: `${GRAFANA_PROVISIONING_DIR}/${DASHBOARDS_SUBDIR}` } },
      ],
    },
  };
}

const HEADER = ['Generated from every metrics endpoint the services declare. Do not edit.'];
const RULES_HEADER = ['Alerting rules of the lab (tools/kit/src/render/alert-rules.ts). Do not edit.'];

/** On the metrics store's host: prometheus.yml; on the dashboards' host: Grafana's provisioning. */
export function renderMonitoring(lab: Lab, host: HostDef): Artifact[] {
  const out: Artifact[] = [];
  if (findRole(lab, 'metrics-store')?.host === host) {
    out.push({ path: `${PROMETHEUS_DIR}/prometheus.yml`, kind: 'prometheus', content: toYaml(prometheusConfig(lab, host), { header: HEADER }) });
    out.push({ path: `${PROMETHEUS_DIR}/rules/homelab.yml`, kind: 'prometheus-rules', content: toYaml(alertRules(), { header: RULES_HEADER }) });
  }
  const grafana = findRole(lab, 'dashboards');
  const provisioning = grafana?.host === host ? grafanaProvisioning(lab, host) : undefined;
  if (provisioning) {
    out.push({ path: 'grafana/provisioning/datasources/prometheus.yaml', kind: 'grafana', content: toYaml(provisioning.datasources, { header: HEADER }) });
    out.push({ path: 'grafana/provisioning/dashboards/homelab.yaml', kind: 'grafana', content: toYaml(provisioning.dashboards, { header: HEADER }) });
    for (const d of labDashboards(metricsServices(lab).map((p) => p.service.image))) {
      out.push({ path: `grafana/provisioning/${DASHBOARDS_SUBDIR}/${d.uid}.json`, kind: 'grafana-dashboard', content: `${JSON.stringify(dashboardJson(d), null, 2)}\n` });
    }
  }
  return out;
}
