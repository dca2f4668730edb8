import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot, loadLab, renderHost } from '@homelab/kit/internal';
import { generateLab } from './generate-lab.js';
import { labLine, measureLab, scalingReport, SCALING_HOSTS, work } from './lab-bench.js';
import { affectedLine, cloneForBench, measureScenario, type Scenario } from './affected-bench.js';
import { benchDeploy, deployLine, driftLine, fixtureTargetMissing } from './deploy-bench.js';
import { fmt, medianRun } from './timing.js';
import { twinLines } from './twin-bench.js';
import { clusterLines } from './cluster-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const SCENARIOS: Scenario[] = [
  { name: 'scenario 1, a new image tag for Sonarr', file: 'packages/vm-media/src/services/sonarr.ts', from: /image: '([^']+):[^':]+'/, to: "image: '$1:4.0.99.9999-ls999'" },
  { name: 'scenario 4, a change to the network plan (the DNS resolver order)', file: 'packages/shared/src/network.ts', from: "nameservers: ['192.168.0.11', '192.168.0.1']", to: "nameservers: ['192.168.0.11']" },
];

const USAGE = 'usage: pnpm bench [labs [hosts...] | twin]  (labs: only the load/validate/render figures; hosts: the scaling sizes, default 50 200 500; twin: only the lab twin\'s wall time)';

/** `labs [hosts...]`: only the lab figures, at the given sizes; `twin`: only the twin; nothing: every section. */
function parseArgs(argv: readonly string[]): { labsOnly: boolean; twinOnly?: boolean; hosts: number[] } | undefined {
  const [first, ...rest] = argv;
  if (first === undefined) return { labsOnly: false, hosts: [...SCALING_HOSTS] };
  if (first === 'twin' && rest.length === 0) return { labsOnly: false, twinOnly: true, hosts: [] };
  if (first !== 'labs') return undefined;
  const hosts = rest.map(Number);
  if (hosts.some((h) => !Number.isInteger(h) || h < 1)) return undefined;
  return { labsOnly: true, hosts: hosts.length > 0 ? hosts : [...SCALING_HOSTS] };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const root = findWorkspaceRoot(here);
  const kitDir = join(root, 'tools', 'kit');
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`homelab-as-code bench (node ${process.version}, ${new Date().toISOString()})`);
  out();
  if (args.twinOnly) {
    out('## The lab twin (pnpm test:twin)');
    for (const line of await twinLines()) out(line);
    return 0;
  }

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
  for (const line of clusterLines(kitDir)) out(line);
  out();

  out(`## Scaling: ${args.hosts.join(', ')} hosts x 40 services (each in a fresh process; first = empty cache, the rest warm)`);
  scalingReport(kitDir, args.hosts, out);
  out();
  if (args.labsOnly) return 0;

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

  out('## Deploy and drift (the fixture host: a test sshd and dockerd on 127.0.0.1, docker-compose v1; needs root)');
  const missing = fixtureTargetMissing();
  if (missing) out(`deploy and drift skipped: ${missing}`);
  else {
    const figures = await benchDeploy();
    out(deployLine(figures));
    out(driftLine(figures));
  }
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
