import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLab } from './generate-lab.js';
import { fmt, timeCommand } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface LabFigures {
  hosts: number;
  services: number;
  files: number;
  errors: number;
  loadMs: number;
  validateMs: number;
  renderMs: number;
  /** This process's CPU time per step, and esbuild's (its own process; bundling on a first load only). */
  cpuMs: { load: number; validate: number; render: number; esbuild?: number };
  peakRssMiB: number;
}

export interface ColdWarm {
  readonly cold: LabFigures;
  readonly warm: LabFigures;
}

/** Loads, validates and renders a lab in a fresh process: first with an empty cache, then warm. */
export function measureLab(root: string): ColdWarm {
  rmSync(join(root, '.homelab', 'cache'), { recursive: true, force: true });
  const run = () => {
    const r = timeCommand(process.execPath, [join(here, 'measure-lab.js'), root], root);
    if (r.code !== 0) throw new Error(`measuring ${root} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as LabFigures;
  };
  return { cold: run(), warm: run() };
}

export const work = (f: LabFigures): number => f.loadMs + f.validateMs + f.renderMs;
const cpuWork = (f: LabFigures): number => f.cpuMs.load + f.cpuMs.validate + f.cpuMs.render;

export function labLine(name: string, f: ColdWarm): string {
  const w = f.warm;
  return `${name}: ${w.hosts} hosts, ${w.services} services, ${w.files} files | load ${fmt(w.loadMs)} (first, bundling: ${fmt(f.cold.loadMs)}) | validate ${fmt(w.validateMs)} | render ${fmt(w.renderMs)} | total ${fmt(work(w))} | peak RSS ${w.peakRssMiB.toFixed(0)} MiB`;
}

/** One generated lab of `hosts` x `services`, measured, and its folder removed again. */
export function measureGenerated(kitDir: string, hosts: number, services: number): ColdWarm {
  const root = generateLab(kitDir, hosts, services);
  try {
    return measureLab(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The default sizes of the scaling run: 2,000, 8,000 and 20,000 services. */
export const SCALING_HOSTS = [50, 200, 500] as const;
const SERVICES_PER_HOST = 40;

/**
 * The lab at growing sizes (hosts x 40 services): each size's figures, then how the time grows
 * against the services (linear: 10x the services costs at most 10x the time) and the goal for the
 * largest (load + validate + render under 5 s warm, the first load under 5 s, under 1 GiB).
 */
export function scalingReport(kitDir: string, hostCounts: readonly number[], out: (line?: string) => void): void {
  const sizes = hostCounts.map((hosts) => ({ hosts, figures: measureGenerated(kitDir, hosts, SERVICES_PER_HOST) }));
  out('Wall time, and in brackets this process\'s CPU time (on a busy machine the wall time also counts the others\' work); a first load adds esbuild\'s CPU time.');
  out('| lab | services | load (first) | load | validate | render | total | peak RSS (first / warm) |');
  out('|---|---|---|---|---|---|---|---|');
  const both = (wall: number, cpu: number) => `${fmt(wall)} (${fmt(cpu)})`;
  const first = (f: LabFigures) => `${fmt(f.loadMs)} (${fmt(f.cpuMs.load)} + esbuild ${fmt(f.cpuMs.esbuild ?? 0)})`;
  for (const { hosts, figures: { cold, warm } } of sizes) {
    out(
      `| ${hosts} x ${SERVICES_PER_HOST} | ${warm.services} | ${first(cold)} | ${both(warm.loadMs, warm.cpuMs.load)} | ${both(warm.validateMs, warm.cpuMs.validate)} | ${both(warm.renderMs, warm.cpuMs.render)} | ${both(work(warm), cpuWork(warm))} | ${cold.peakRssMiB.toFixed(0)} / ${warm.peakRssMiB.toFixed(0)} MiB |`,
    );
  }
  const base = sizes[0]!;
  for (const { hosts, figures } of sizes.slice(1)) {
    const services = figures.warm.services / base.figures.warm.services;
    const time = work(figures.warm) / work(base.figures.warm);
    const render = figures.warm.renderMs / base.figures.warm.renderMs;
    const cpuTime = cpuWork(figures.warm) / cpuWork(base.figures.warm);
    out(`scaling ${base.hosts} -> ${hosts} hosts: ${services.toFixed(1)}x the services costs ${time.toFixed(2)}x the time, ${cpuTime.toFixed(2)}x the CPU time (linear: at most ${services.toFixed(1)}x); render alone ${render.toFixed(2)}x; per 1,000 services ${fmt((1000 * work(figures.warm)) / figures.warm.services)} (at ${base.hosts}: ${fmt((1000 * work(base.figures.warm)) / base.figures.warm.services)})`);
  }
  const largest = sizes.at(-1)!;
  const { cold, warm } = largest.figures;
  out(`goal at ${largest.hosts} x ${SERVICES_PER_HOST}: load + validate + render ${fmt(work(warm))} warm, CPU ${fmt(cpuWork(warm))} (under 5 s), first load ${fmt(cold.loadMs)}, CPU ${fmt(cold.cpuMs.load)} + esbuild ${fmt(cold.cpuMs.esbuild ?? 0)} (under 5 s), peak ${Math.max(cold.peakRssMiB, warm.peakRssMiB).toFixed(0)} MiB (under 1024 MiB)`);
  if (sizes.some((s) => s.figures.warm.errors > 0)) out('WARNING: the generated labs have errors; the figures measure a failing validation');
}
