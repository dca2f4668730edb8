// Child process: load, validate and render one lab; prints one JSON line of figures.
// Run alone so that its peak memory (maxRSS) is the lab's, not the benchmark's.
import { loadLab, renderHost, validateLab } from '@homelab/kit/internal';
import { childCpuMs } from './child-cpu.js';

const root = process.argv[2]!;
// CPU time of this process too: on a shared machine wall time also counts the others' work.
// (esbuild runs in a process of its own: its CPU time is counted apart, as cpuMs.esbuild.)
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const c0 = cpu();
const loaded = await loadLab(root);
const t1 = performance.now();
const c1 = cpu();
// The bundler's CPU time (a first load only): esbuild's service is a process of its own.
const esbuildMs = childCpuMs('esbuild');
const findings = validateLab(loaded.lab);
const t2 = performance.now();
const c2 = cpu();
let files = 0;
for (const host of loaded.lab.hosts) files += renderHost(loaded.lab, host).artifacts.length;
const t3 = performance.now();
const c3 = cpu();
const services = loaded.lab.hosts.reduce((n, h) => n + h.services.length, 0);
process.stdout.write(
  `${JSON.stringify({
    hosts: loaded.lab.hosts.length,
    services,
    files,
    errors: findings.filter((f) => f.severity === 'error').length,
    loadMs: t1 - t0,
    validateMs: t2 - t1,
    renderMs: t3 - t2,
    cpuMs: { load: c1 - c0, validate: c2 - c1, render: c3 - c2, esbuild: esbuildMs },
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
