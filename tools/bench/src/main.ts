import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot, loadLab, renderHost } from '@homelab/kit';
import { generateLab } from './generate-lab.js';
import { affectedLine, cloneForBench, measureScenario, type Scenario } from './affected-bench.js';
import { benchDeploy, deployLine } from './deploy-bench.js';
import { fmt, medianRun, timeCommand } from './timing.js';
import { twinLines } from './twin-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

interface LabFigures {
  hosts: number;
  services: number;
  files: number;
  errors: number;
  loadMs: number;
  validateMs: number;
  renderMs: number;
  peakRssMiB: number;
}

/** Loads, validates and renders a lab in a fresh process: first with an empty cache, then warm. */
function measureLab(root: string): { cold: LabFigures; warm: LabFigures } {
  rmSync(join(root, '.homelab', 'cache'), { recursive: true, force: true });
  const run = () => {
    const r = timeCommand(process.execPath, [join(here, 'measure-lab.js'), root], root);
    if (r.code !== 0) throw new Error(`measuring ${root} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as LabFigures;
  };
  return { cold: run(), warm: run() };
}

function labLine(name: string, f: { cold: LabFigures; warm: LabFigures }): string {
  const w = f.warm;
  return `${name}: ${w.hosts} hosts, ${w.services} services, ${w.files} files | load ${fmt(w.loadMs)} (first, bundling: ${fmt(f.cold.loadMs)}) | validate ${fmt(w.validateMs)} | render ${fmt(w.renderMs)} | total ${fmt(w.loadMs + w.validateMs + w.renderMs)} | peak RSS ${w.peakRssMiB.toFixed(0)} MiB`;
}

const SCENARIOS: Scenario[] = [
  { name: 'scenario 1, a new image tag for Sonarr', file: 'packages/vm-media/src/services/sonarr.ts', from: /image: '([^']+):[^':]+'/, to: "image: '$1:4.0.99.9999-ls999'" },
  { name: 'scenario 4, a change to the network plan (the DNS resolver order)', file: 'packages/shared/src/network.ts', from: "nameservers: ['192.168.0.11', '192.168.0.1']", to: "nameservers: ['192.168.0.11']" },
];

const work = (f: LabFigures) => f.loadMs + f.validateMs + f.renderMs;

export async function main(_argv: readonly string[]): Promise<number> {
  const root = findWorkspaceRoot(here);
  const kitDir = join(root, 'tools', 'kit');
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`homelab-as-code bench (node ${process.version}, ${new Date().toISOString()})`);
  out();

  out('## Load, validate, render (each in a fresh process)');
  const real = measureLab(root);
  out(labLine('real lab', real));
  const small = generateLab(kitDir, 50, 4);
  const big = generateLab(kitDir, 50, 40);
  try {
    const s = measureLab(small);
    const b = measureLab(big);
    out(labLine('generated 50x4', s));
    out(labLine('generated 50x40', b));
    out(`targets: 50x40 validate+render under 2 s: ${fmt(b.warm.validateMs + b.warm.renderMs)}; with load: ${fmt(work(b.warm))}; peak under 300 MiB: ${b.warm.peakRssMiB.toFixed(0)} MiB`);
    out(`scaling: 10x the services (50x4 -> 50x40) costs ${(work(b.warm) / work(s.warm)).toFixed(2)}x the time (target at most 12x); validate+render only: ${((b.warm.validateMs + b.warm.renderMs) / (s.warm.validateMs + s.warm.renderMs)).toFixed(2)}x`);
    if (b.warm.errors > 0 || s.warm.errors > 0) out('WARNING: the generated labs have errors; the figures measure a failing validation');
  } finally {
    rmSync(small, { recursive: true, force: true });
    rmSync(big, { recursive: true, force: true });
  }
  out();

  out('## `pnpm homelab validate` (whole lab, process start included) against one `dclint` run on the same compose files');
  const { lab } = await loadLab(root);
  const dir = mkdtempSync(join(tmpdir(), 'homelab-bench-compose-'));
  const files: string[] = [];
  for (const host of lab.hosts) {
    for (const a of renderHost(lab, host).artifacts.filter((x) => x.kind === 'compose')) {
      const file = join(dir, `${host.name}-${a.path.replace(/\//g, '_')}`);
      writeFileSync(file, a.content);
      files.push(file);
    }
  }
  const dclint = join(dirname(require.resolve('dclint')).replace(/\/dist$/, ''), 'bin', 'dclint.cjs');
  const runs = 7;
  const viaPnpm = medianRun('pnpm homelab validate', runs, 'pnpm', ['homelab', 'validate'], root);
  const direct = medianRun('homelab validate', runs, process.execPath, [join(root, 'tools', 'cli', 'bin', 'homelab.mjs'), 'validate'], root);
  const lint = medianRun('dclint', runs, process.execPath, [dclint, ...files], root);
  rmSync(dir, { recursive: true, force: true });
  out(`compose files: ${files.length}; median of ${runs} runs each`);
  out(`pnpm homelab validate: ${fmt(viaPnpm)} | homelab validate (node bin, no pnpm): ${fmt(direct)} | dclint: ${fmt(lint)}`);
  out(`ratio pnpm homelab validate / dclint: ${(viaPnpm / lint).toFixed(2)} (target at most 0.30); without pnpm: ${(direct / lint).toFixed(2)}`);
  out();

  out('## Deploy (the fixture host: a test sshd and dockerd on 127.0.0.1, docker-compose v1; needs root)');
  out(deployLine(await benchDeploy()));
  out();

  out('## Affected builds (a clone of HEAD, empty Nx cache each time)');
  const clone = cloneForBench(root);
  try {
    for (const scenario of SCENARIOS) out(affectedLine(await measureScenario(root, clone.dir, scenario)));
  } finally {
    clone.remove();
  }
  out();

  out('## The lab twin (pnpm test:twin)');
  for (const line of await twinLines()) out(line);
  return 0;
}
