import type { HostDef, Lab, LabFacts, ServiceDef } from '../src/index.js';

/** The lab with one host changed. */
export function withHost(lab: Lab, host: string, change: (h: HostDef) => HostDef): Lab {
  if (!lab.hosts.some((h) => h.name === host)) throw new Error(`corpus: no host ${host}`);
  return { ...lab, hosts: lab.hosts.map((h) => (h.name === host ? change(h) : h)) };
}

/** The lab with one service changed (merged with `change`, or replaced by what a function returns). */
export function withService(lab: Lab, host: string, service: string, change: Partial<ServiceDef> | ((s: ServiceDef) => ServiceDef)): Lab {
  return withHost(lab, host, (h) => {
    if (!h.services.some((s) => s.name === service)) throw new Error(`corpus: no service ${host}/${service}`);
    return {
      ...h,
      services: h.services.map((s) => (s.name === service ? (typeof change === 'function' ? change(s) : ({ ...s, ...change } as ServiceDef)) : s)),
    };
  });
}

/** The lab with a service moved from one host to another. */
export function moveService(lab: Lab, from: string, to: string, service: string): Lab {
  const moved = lab.hosts.find((h) => h.name === from)?.services.find((s) => s.name === service);
  if (!moved) throw new Error(`corpus: no service ${from}/${service}`);
  const removed = withHost(lab, from, (h) => ({ ...h, services: h.services.filter((s) => s !== moved) }));
  return withHost(removed, to, (h) => ({ ...h, services: [...h.services, moved] }));
}

export function withFacts(lab: Lab, change: (f: LabFacts) => LabFacts): Lab {
  return { ...lab, facts: change(lab.facts) };
}

/** A host added next to the others (a copy of `like` with the given fields). */
export function addHost(lab: Lab, like: string, fields: Partial<HostDef>): Lab {
  const base = lab.hosts.find((h) => h.name === like);
  if (!base) throw new Error(`corpus: no host ${like}`);
  return { ...lab, hosts: [...lab.hosts, { ...base, ...fields } as HostDef] };
}
