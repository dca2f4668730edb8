import { defineRule, servicePath } from '../rule.js';
import { serviceName } from '../../model/service.js';
import type { HostDef } from '../../model/host.js';

/** Edges of the start-up graph: depends_on, plus the implicit one of network_mode service:X. */
function edges(host: HostDef): Map<string, { to: string; field: string }[]> {
  const graph = new Map<string, { to: string; field: string }[]>();
  for (const s of host.services) {
    const out = (s.dependsOn ?? []).map((d, i) => ({ to: serviceName(d.service), field: `dependsOn[${i}]` }));
    const mode = s.networkMode;
    if (mode !== undefined && typeof mode !== 'string' && 'service' in mode) {
      out.push({ to: serviceName(mode.service), field: 'networkMode' });
    }
    graph.set(s.name, out);
  }
  return graph;
}

/** Every dependency exists in the stack, and start-up order has no cycle. */
export const dependsOnRule = defineRule({
  description: 'Every dependency exists in the stack, and start-up order has no cycle',
  docs: 'findings.md#compose-per-host',
  codes: ['depends-on-unknown', 'depends-on-cycle'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const graph = edges(host);
      for (const [from, out] of graph) {
        for (const { to, field } of out) {
          if (field !== 'networkMode' && !graph.has(to)) {
            findings.error('depends-on-unknown', servicePath(host, from, field), `${from} depends on "${to}", which is not a service of ${host.name}. Add it to the stack or remove the dependency.`);
          }
        }
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const reported = new Set<string>();
      const visit = (name: string, trail: { name: string; field: string }[]): void => {
        if (state.get(name) === 'done') return;
        if (state.get(name) === 'visiting') {
          const start = trail.findIndex((t) => t.name === name);
          const cycle = trail.slice(start);
          const key = cycle.map((c) => c.name).sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            const first = cycle[0]!;
            const loop = [...cycle.map((c) => c.name), name].join(' -> ');
            findings.error('depends-on-cycle', servicePath(host, first.name, first.field), `start-up order has a cycle: ${loop} (network_mode service:X counts as a dependency on X). Remove one of these dependencies.`);
          }
          return;
        }
        state.set(name, 'visiting');
        for (const edge of graph.get(name) ?? []) {
          if (graph.has(edge.to)) visit(edge.to, [...trail, { name, field: edge.field }]);
        }
        state.set(name, 'done');
      };
      for (const name of [...graph.keys()].sort()) visit(name, []);
    }
  },
});
