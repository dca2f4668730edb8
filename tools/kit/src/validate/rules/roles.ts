import { defineRule, servicePath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import { imageName, type ServiceDef, type ServiceRole } from '../../model/service.js';

interface Once {
  /** What depends on the role being held once. */
  readonly why: string;
  /** What shows a service really is that thing: the ports it must publish, or what its image is. */
  readonly evidence: (service: ServiceDef) => boolean;
}

const publishes = (service: ServiceDef, ...ports: number[]) => (service.ports ?? []).some((p) => ports.includes(Number(p.published ?? p.target)));
const imageIs = (service: ServiceDef, ...names: string[]) => names.some((n) => imageName(service.image).includes(n));

/** Roles the lab has once: renderers wire everything to the one service that holds each. */
const ONCE: Readonly<Partial<Record<ServiceRole, Once>>> = {
  'reverse-proxy': { why: 'every route and every DNS answer points at one reverse proxy', evidence: (s) => publishes(s, 80, 443) },
  'metrics-store': { why: 'one metrics store scrapes every metrics endpoint', evidence: (s) => imageIs(s, 'prometheus', 'victoria-metrics', 'mimir', 'thanos') },
  'alert-manager': { why: 'the metrics store sends its alerts to one Alertmanager', evidence: (s) => imageIs(s, 'alertmanager') },
  dashboards: { why: 'the metrics store is wired to one dashboards service', evidence: (s) => imageIs(s, 'grafana') },
  auth: { why: 'forward auth goes to one identity provider', evidence: (s) => imageIs(s, 'authentik', 'authelia', 'keycloak') },
  'start-page': { why: 'the start page lists every route once', evidence: (s) => imageIs(s, 'homepage') },
  dns: { why: 'hosts and clients ask one DNS server of the lab', evidence: (s) => publishes(s, 53) },
};

type Placed = { readonly host: HostDef; readonly service: ServiceDef };

/**
 * A role the lab expects once, declared twice: the renderers would silently wire everything to
 * one of them. The finding names both and points at the declaration that is wrong: the one that
 * does not look like the thing (a reverse proxy publishes 80/443, a metrics store runs
 * Prometheus, ...); when that does not tell them apart, at every declaration after the first.
 */
export const rolesRule = defineRule({
  description: 'A role the lab expects once, declared twice',
  docs: 'findings.md#secrets-in-disguise-and-references-against-what-declares-them',
  codes: ['role-duplicate'],
  check(lab, findings) {
    const holders = new Map<ServiceRole, Placed[]>();
    for (const host of lab.hosts) {
      for (const service of host.services) {
        if (service.role && service.role in ONCE) holders.set(service.role, [...(holders.get(service.role) ?? []), { host, service }]);
      }
    }
    for (const [role, placed] of holders) {
      if (placed.length < 2) continue;
      const once = ONCE[role]!;
      const genuine = placed.filter((p) => once.evidence(p.service));
      const keep = genuine.length === 1 ? genuine[0]! : placed[0]!;
      for (const p of placed) {
        if (p === keep) continue;
        findings.error(
          'role-duplicate',
          servicePath(p.host, p.service, 'role'),
          `${p.host.name}/${p.service.name} and ${keep.host.name}/${keep.service.name} both have role '${role}', which the lab has once (${once.why}). Give ${p.service.name} its own role, or remove one of them.`,
        );
      }
    }
  },
});
